package io.dyno.micrometer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GuardTest {

  private final Guard guard = new Guard();

  @Test
  void anAction_runsUnderTheLock_andReleasesIt() throws Exception {
    boolean[] held = new boolean[1];
    guard.run(() -> held[0] = guard.isHeldByCurrentThread());

    assertThat(held[0]).isTrue();
    assertThat(guard.isHeldByCurrentThread()).isFalse();
    assertThat(guard.get(guard::isHeldByCurrentThread)).isTrue();
    assertThat(guard.isHeldByCurrentThread()).isFalse();
    // Another thread takes the lock at once: neither action left it held.
    assertThat(CompletableFuture.supplyAsync(() -> guard.get(() -> 42)).get(10, TimeUnit.SECONDS))
        .isEqualTo(42);
  }

  @Test
  void anActionThatThrows_releasesTheLock() throws Exception {
    try {
      guard.run(
          () -> {
            throw new IllegalStateException("boom");
          });
    } catch (IllegalStateException expected) {
      // Passed through.
    }

    assertThat(guard.isHeldByCurrentThread()).isFalse();
    CompletableFuture.runAsync(() -> guard.run(() -> {})).get(10, TimeUnit.SECONDS);
  }
}
