package io.dyno.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SharedValueTest {

  @Test
  void aWaitingCaller_seesTheConstructorsFailure_andTheNextCallConstructsAgain() throws Exception {
    SharedValue<String> shared = new SharedValue<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Throwable> first = new AtomicReference<>();
    Thread constructor =
        new Thread(
            () -> {
              try {
                first.set(
                    new AssertionError(
                        "returned "
                            + shared.get(
                                () -> {
                                  entered.countDown();
                                  Fakes.await(release);
                                  throw new IllegalStateException("boom");
                                })));
              } catch (RuntimeException | InterruptedException e) {
                first.set(e);
              }
            });
    constructor.start();
    Fakes.await(entered);
    AtomicReference<Throwable> waiter = new AtomicReference<>();
    Thread second =
        new Thread(
            () -> {
              try {
                waiter.set(
                    new AssertionError(
                        "returned "
                            + shared.get(
                                () -> {
                                  throw new IllegalStateException("boom");
                                })));
              } catch (RuntimeException | InterruptedException e) {
                waiter.set(e);
              }
            });
    second.start();
    release.countDown();
    constructor.join(TimeUnit.SECONDS.toMillis(Fakes.WAIT_SECONDS));
    second.join(TimeUnit.SECONDS.toMillis(Fakes.WAIT_SECONDS));
    assertThat(first.get()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(waiter.get()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(shared.get(() -> "ok")).isEqualTo("ok");
    assertThat(shared.get(() -> "not again")).isEqualTo("ok");
  }

  @Test
  void anError_isRethrownUnchanged_andForgotten() throws Exception {
    SharedValue<String> shared = new SharedValue<>();
    AssertionError error = new AssertionError("fatal");
    assertThatThrownBy(
            () ->
                shared.get(
                    () -> {
                      throw error;
                    }))
        .isSameAs(error);
    assertThat(shared.get(() -> "ok")).isEqualTo("ok");
  }

  @Test
  void aNullValue_isRejectedAndForgotten() throws Exception {
    SharedValue<String> shared = new SharedValue<>();
    assertThatThrownBy(() -> shared.get(() -> nothing()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("shared supplier returned null");
    assertThat(shared.get(() -> "ok")).isEqualTo("ok");
  }

  @SuppressWarnings("NullAway") // a supplier that breaks its contract
  private static String nothing() {
    return null;
  }
}
