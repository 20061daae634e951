/**
 * Observation of a call's failures without changing them. {@link io.dyno.harness.Harness} wraps a
 * call: its failure is counted, kept among the most recent as a {@link io.dyno.harness.Failure},
 * logged (a storm of identical failures as one line and then a periodic summary), handed to
 * listeners, and rethrown as the same instance. A call that succeeds costs a {@code try} block.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.harness;

import org.jspecify.annotations.NullMarked;
