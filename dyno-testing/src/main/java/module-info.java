/**
 * Fakes and helpers for tests of code built on dyno: time that moves only when the test moves it
 * ({@link io.dyno.testing.FakeTicker}, {@link io.dyno.testing.FakeClock}, {@link
 * io.dyno.testing.ManualScheduler}, {@link io.dyno.testing.RecordingSleeper}) and threads released
 * together ({@link io.dyno.testing.Race} on either {@link io.dyno.testing.ThreadKind}), and a real
 * {@code redis-server} started and stopped by the test ({@link io.dyno.testing.RedisProcess}).
 * Dyno's own modules use it at test scope; so can their users. Depends on nothing but the JDK.
 */
module io.dyno.testing {
  requires static transitive org.jspecify;

  exports io.dyno.testing;
}
