/**
 * Implementation details of dyno-registry. Not API: the module does not export this package, and
 * anything here may change in any release.
 */
@NullMarked
package io.dyno.registry.internal;

import org.jspecify.annotations.NullMarked;
