/** Dependencies declared at a function's definition, constructed in parallel per call. */
module io.dyno.injection {
  requires static transitive org.jspecify;
  requires org.slf4j;

  exports io.dyno.injection;
}
