/**
 * The machinery behind {@code io.dyno.service.Service}; not API, not exported, and free to change
 * in any release.
 */
@NullMarked
package io.dyno.service.internal;

import org.jspecify.annotations.NullMarked;
