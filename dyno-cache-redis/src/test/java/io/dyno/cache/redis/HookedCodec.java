package io.dyno.cache.redis;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The string codec, running code of the test at a chosen decode: a decode follows each read of an
 * entry from Redis, so the code runs between that read and the cache's next command.
 */
final class HookedCodec implements ValueCodec<String> {

  private final AtomicInteger decodes = new AtomicInteger();
  private volatile int at;
  private volatile @Nullable Runnable hook;

  /** Runs {@code hook} once, at the {@code nth} decode from now (1 is the next one). */
  void atDecode(int nth, Runnable hook) {
    this.at = decodes.get() + nth;
    this.hook = hook;
  }

  /** The decodes so far. */
  int decodes() {
    return decodes.get();
  }

  @Override
  public byte[] encode(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String decode(byte[] bytes) {
    int n = decodes.incrementAndGet();
    Runnable h = hook;
    if (h != null && n == at) {
      hook = null;
      h.run();
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
