/**
 * The runnable demo, {@link io.dyno.examples.Demo}: simulated calls to remote dependencies,
 * measured and reported with Dyno's modules.
 */
@NullMarked
package io.dyno.examples;

import org.jspecify.annotations.NullMarked;
