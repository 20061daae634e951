/** Implementation details of dyno-injection. Not API: this package is not exported. */
@NullMarked
package io.dyno.injection.internal;

import org.jspecify.annotations.NullMarked;
