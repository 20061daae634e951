/**
 * Implementation details of dyno-retry. Not API: the module does not export this package, and
 * anything here may change in any release.
 */
@NullMarked
package io.dyno.retry.internal;

import org.jspecify.annotations.NullMarked;
