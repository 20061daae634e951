package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CompoundExceptionTest {

  @Test
  void of_aFailureThatNeverWentThroughARetry_listsItAlone() {
    IOException plain = new IOException("plain");
    plain.addSuppressed(new IllegalStateException("from a close()"));
    CompoundException view = CompoundException.of(plain);
    assertThat(view.exceptions()).containsExactly(plain);
    assertThat(view.first()).isSameAs(plain);
    assertThat(view.last()).isSameAs(plain);
    assertThat(view.reason()).isEmpty();
    assertThat(view).hasMessage("java.io.IOException: plain").hasCause(plain);
    assertThat(view.getStackTrace()).isEmpty();
  }

  @Test
  void of_keepsSuppressedExceptionsTheFailureAlreadyHadOutOfTheList() {
    IOException first = new IOException("first");
    IOException last = new IOException("last");
    last.addSuppressed(new IllegalStateException("from a close()"));
    AtomicInteger attempt = new AtomicInteger();
    Retry retry = Retry.of("r", 2);

    Throwable thrown =
        catchThrowable(
            () ->
                retry.call(
                    () -> {
                      throw attempt.incrementAndGet() == 1 ? first : last;
                    }));

    assertThat(CompoundException.of(thrown).exceptions()).containsExactly(first, last);
  }

  @Test
  void ofType_selectsByClassIncludingSubclasses_inOrder() {
    IOException reset = new IOException("reset");
    SocketTimeoutException timeout1 = new SocketTimeoutException("1");
    SocketTimeoutException timeout2 = new SocketTimeoutException("2");
    Exception[] failures = {timeout1, reset, timeout2};
    AtomicInteger attempt = new AtomicInteger();
    Retry retry = Retry.of("r", 3);

    Throwable thrown =
        catchThrowable(
            () ->
                retry.call(
                    () -> {
                      throw failures[attempt.getAndIncrement()];
                    }));

    CompoundException all = CompoundException.of(thrown);
    assertThat(all.ofType(SocketTimeoutException.class)).containsExactly(timeout1, timeout2);
    assertThat(all.ofType(IOException.class)).containsExactly(timeout1, reset, timeout2);
    assertThat(all.ofType(IllegalStateException.class)).isEmpty();
    assertThat(all.first()).isSameAs(timeout1);
    assertThat(all.last()).isSameAs(timeout2);
  }
}
