/**
 * Filters around a function. {@link io.dyno.aspect.Aspect} wraps a function in filters that run
 * before, around and after it, each added and removed at run time through its {@link
 * io.dyno.aspect.Registration}; {@link io.dyno.aspect.Aspects} is a board of named aspects, so that
 * setup code can install filters on functions it never saw; {@link io.dyno.aspect.Chaos} makes
 * around filters that inject failures, delays and wrong results into a share of the calls.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.aspect;

import org.jspecify.annotations.NullMarked;
