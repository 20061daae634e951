/**
 * Implementation details of dyno-breaker. Not API: the module does not export this package, and
 * anything here may change in any release.
 */
@NullMarked
package io.dyno.breaker.internal;

import org.jspecify.annotations.NullMarked;
