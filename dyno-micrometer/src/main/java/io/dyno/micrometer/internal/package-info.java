/** The implementation of dyno-micrometer; not API, and not exported. */
@NullMarked
package io.dyno.micrometer.internal;

import org.jspecify.annotations.NullMarked;
