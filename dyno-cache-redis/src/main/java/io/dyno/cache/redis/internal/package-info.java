/** The implementation of dyno-cache-redis; not API, and not exported. */
@NullMarked
package io.dyno.cache.redis.internal;

import org.jspecify.annotations.NullMarked;
