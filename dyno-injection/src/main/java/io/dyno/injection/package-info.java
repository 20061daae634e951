/**
 * Dependencies declared at a function's definition and constructed per call. A {@link
 * io.dyno.injection.Dependency} says how to construct one value, under which timeout and with which
 * fallback; an {@link io.dyno.injection.Injector} wraps a function so that every call constructs
 * its dependencies, in parallel or in turn, and hands them to the body; when a dependency cannot be
 * had the call fails with a {@link io.dyno.injection.DependencyException} that names every failure.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.injection;

import org.jspecify.annotations.NullMarked;
