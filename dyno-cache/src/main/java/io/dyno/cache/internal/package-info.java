/**
 * Implementation details of dyno-cache. Not API: the module does not export this package, and
 * anything here may change in any release.
 */
@NullMarked
package io.dyno.cache.internal;

import org.jspecify.annotations.NullMarked;
