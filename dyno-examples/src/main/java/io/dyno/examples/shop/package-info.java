/**
 * The pieces of the demo's shop front: {@link io.dyno.examples.shop.Shop} assembles simulated
 * remote dependencies ({@link io.dyno.examples.shop.SimulatedDependency}) behind Dyno's modules and
 * follows an incident {@link io.dyno.examples.shop.Schedule}.
 */
@NullMarked
package io.dyno.examples.shop;

import org.jspecify.annotations.NullMarked;
