/**
 * Implementation details of dyno-harness: the storm table, the ring of recent failures and the
 * failure counts. Not API: the module does not export this package, and anything here may change in
 * any release.
 */
@NullMarked
package io.dyno.harness.internal;

import org.jspecify.annotations.NullMarked;
