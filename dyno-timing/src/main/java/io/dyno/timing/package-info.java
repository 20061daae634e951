/**
 * Events and nested intervals for one request. {@link io.dyno.timing.Timing} is the entry type: it
 * records intervals ({@link io.dyno.timing.Timing.Span}) that nest under whatever interval is open,
 * instant marks, and renders them as an indented {@linkplain io.dyno.timing.Timing#report() report}
 * or as {@linkplain io.dyno.timing.Timing#records() records}; {@link
 * io.dyno.timing.Timing#activate()}, {@link io.dyno.timing.Timing#current()} and {@link
 * io.dyno.timing.Timing#wrap(Runnable)} carry one timing through a request, across threads.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.timing;

import org.jspecify.annotations.NullMarked;
