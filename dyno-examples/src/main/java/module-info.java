/** The runnable Dyno demo and the per-module examples. Not published. */
module io.dyno.examples {
  requires io.dyno.utils;
  requires static org.jspecify;
}
