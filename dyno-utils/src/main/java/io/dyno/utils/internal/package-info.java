/**
 * Implementation details of dyno-utils. Not API: the module does not export this package, and
 * anything here may change in any release.
 */
@NullMarked
package io.dyno.utils.internal;

import org.jspecify.annotations.NullMarked;
