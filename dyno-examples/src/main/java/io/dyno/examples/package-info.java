/**
 * The runnable demo, {@link io.dyno.examples.Demo}: a shop front on simulated remote dependencies
 * that fail, slow down and recover on a schedule, served by every Dyno module.
 */
@NullMarked
package io.dyno.examples;

import org.jspecify.annotations.NullMarked;
