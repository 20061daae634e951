/**
 * Implementation details of dyno-timing: the event log, the per-thread context, the record tree,
 * and the report and duration formats. Not API: the module does not export this package, and
 * anything here may change in any release.
 */
@NullMarked
package io.dyno.timing.internal;

import org.jspecify.annotations.NullMarked;
