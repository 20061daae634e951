/**
 * Implementation details of dyno-aspect. Not API: the module does not export this package, and
 * anything here may change in any release.
 */
@NullMarked
package io.dyno.aspect.internal;

import org.jspecify.annotations.NullMarked;
