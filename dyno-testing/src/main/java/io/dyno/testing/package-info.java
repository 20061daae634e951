/**
 * Fakes and helpers for tests of code built on dyno. {@link io.dyno.testing.FakeTicker} and {@link
 * io.dyno.testing.FakeClock} are time that moves only when the test moves it; {@link
 * io.dyno.testing.ManualScheduler} runs scheduled work on that time and {@link
 * io.dyno.testing.RecordingSleeper} records waits instead of waiting. {@link
 * io.dyno.testing.ThreadKind} names the kinds of thread this JVM can run a test on (virtual threads
 * on Java 21 and later), and {@link io.dyno.testing.Race} runs one task on several threads released
 * together, joined with a timeout, failing the test with every contender's failure.
 */
@NullMarked
package io.dyno.testing;

import org.jspecify.annotations.NullMarked;
