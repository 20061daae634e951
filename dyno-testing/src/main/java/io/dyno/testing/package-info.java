/**
 * Support for tests of concurrent code. {@link io.dyno.testing.ThreadKind} names the kinds of
 * thread this JVM can run a test on (virtual threads on Java 21 and later), and {@link
 * io.dyno.testing.Race} runs one task on several threads released together, joined with a timeout,
 * failing the test with every contender's failure.
 */
@NullMarked
package io.dyno.testing;

import org.jspecify.annotations.NullMarked;
