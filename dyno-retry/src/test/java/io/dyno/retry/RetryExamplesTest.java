package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.testing.RecordingSleeper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The examples of docs/retry.md, README.md and the javadoc, compiled and run. Each snippet in the
 * guide appears here line for line, which dyno-examples' documentation test verifies.
 */
class RetryExamplesTest {

  private static final Logger log = LoggerFactory.getLogger(RetryExamplesTest.class);

  /** A response with an HTTP-like status. */
  record Response(int status) {}

  /** A request. */
  record Request(String path) {}

  /** A fake client whose first {@code failures} sends time out. */
  static final class Client {
    private final AtomicInteger sends = new AtomicInteger();
    private final int failures;

    Client(int failures) {
      this.failures = failures;
    }

    Response send(Request request) throws IOException {
      int n = sends.incrementAndGet();
      if (n <= failures) {
        throw new SocketTimeoutException("send " + n + " of " + request.path() + " timed out");
      }
      return new Response(200);
    }

    CompletableFuture<Response> sendAsync(Request request) {
      try {
        return CompletableFuture.completedFuture(send(request));
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  /** A fake connection pool whose first connect fails. */
  static final class Pool {
    private final AtomicInteger connects = new AtomicInteger();

    String connect() throws IOException {
      if (connects.incrementAndGet() == 1) {
        throw new IOException("connection refused");
      }
      return "connection";
    }
  }

  @Test
  void quickStart() throws Exception {
    Pool pool = new Pool();
    Retry connect = Retry.of("connect", 3); // 3 attempts, no wait
    String c = connect.call(() -> pool.connect());

    assertThat(c).isEqualTo("connection");
  }

  @Test
  void readme() throws Exception {
    Client client = new Client(0);
    Request request = new Request("/quote");
    Retry fetch =
        Retry.builder("fetch")
            .maxAttempts(4)
            .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0).withJitter(0.5))
            .budget(RetryBudget.ratio(0.2))
            .build();
    Response r = fetch.call(() -> client.send(request)); // gives up with the last failure itself

    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  void everyOption() throws Exception {
    Client client = new Client(0);
    Request request = new Request("/quote");
    Retry fetch =
        Retry.builder("fetch")
            .maxAttempts(5)
            .maxDuration(Duration.ofSeconds(10))
            .backoff(
                Backoff.exponential(Duration.ofMillis(100), 2.0)
                    .withMaxDelay(Duration.ofSeconds(5))
                    .withJitter(0.5))
            .retryOn(IOException.class)
            .abortOn(FileNotFoundException.class)
            .retryIfResult(Response.class, r -> r.status() == 503)
            .budget(RetryBudget.ratio(0.2)) // retries <= 20 % of calls, + 10 per second
            .onRetry(e -> log.info("{}", e))
            .build();
    Response r = fetch.call(() -> client.send(request));

    assertThat(r.status()).isEqualTo(200);
    assertThat(fetch.maxAttempts()).isEqualTo(5);
    assertThat(fetch.maxDuration()).contains(Duration.ofSeconds(10));
    assertThat(fetch.budget().orElseThrow().ratio()).isEqualTo(0.2);
  }

  @Test
  @SuppressWarnings("unused") // the guide's snippet names what a handler may read
  void everyFailureIsKept() throws Exception {
    Client client = new Client(10);
    Request request = new Request("/quote");
    Retry fetch = Retry.of("fetch", 3);
    try {
      fetch.call(() -> client.send(request));
    } catch (IOException e) { // the last failure itself, as if there were no retry
      List<Throwable> all = CompoundException.of(e).exceptions(); // 3 failures, oldest first
      List<SocketTimeoutException> timeouts =
          CompoundException.of(e).ofType(SocketTimeoutException.class);
      e.printStackTrace(); // shows why it stopped, then the earlier failures
    }

    Throwable again = catchThrowable(() -> fetch.call(() -> client.send(request)));
    assertThat(again).isInstanceOf(SocketTimeoutException.class);
    assertThat(CompoundException.of(again).exceptions()).hasSize(3);
    assertThat(CompoundException.of(again).ofType(SocketTimeoutException.class)).hasSize(3);
    assertThat(CompoundException.of(again).first()).hasMessage("send 4 of /quote timed out");
  }

  @Test
  void compoundOnRequest() throws Exception {
    Client client = new Client(10);
    Request request = new Request("/quote");
    List<Throwable> failures = List.of();
    Retry fetch = Retry.builder("fetch").maxAttempts(3).throwCompound().build();
    try {
      fetch.call(() -> client.send(request));
    } catch (CompoundException e) { // unchecked; getCause() is the last failure
      failures = e.exceptions(); // all 3, oldest first
    }

    assertThat(failures).hasSize(3);
  }

  @Test
  void budget() throws Exception {
    Client client = new Client(1);
    Request request = new Request("/quote");
    Retry fetch =
        Retry.builder("fetch")
            .maxAttempts(4)
            .budget(RetryBudget.ratio(0.2)) // retries <= 20 % of calls, + 10 per second
            .build();

    assertThat(fetch.call(() -> client.send(request)).status()).isEqualTo(200);
  }

  @Test
  void tokenBudget() throws Exception {
    Client client = new Client(1);
    Request request = new Request("/quote");
    RetryBudget shared = RetryBudget.tokens(10, 0.1); // 10 tokens; a success gives back 0.1
    Retry fetch = Retry.builder("fetch").maxAttempts(3).budget(shared).build();
    Retry store = Retry.builder("store").maxAttempts(3).budget(shared).build();

    assertThat(fetch.call(() -> client.send(request)).status()).isEqualTo(200);
    assertThat(store.call(() -> client.send(request)).status()).isEqualTo(200);
    // The failure took 1 token; the two successes gave 0.1 each.
    assertThat(shared.tokens()).isEqualTo(9.2);
  }

  @Test
  void pushback() throws Exception {
    // Your client's failure for a 429 or 503 answer, carrying the server's Retry-After.
    class Throttled extends IOException {
      private static final long serialVersionUID = 1L;
      final Duration retryAfter;

      Throttled(Duration retryAfter) {
        super("throttled; retry after " + retryAfter);
        this.retryAfter = retryAfter;
      }
    }

    Retry fetch =
        Retry.builder("fetch")
            .maxAttempts(4)
            .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0))
            .pushback(
                failure ->
                    failure instanceof Throttled t
                        ? Pushback.after(t.retryAfter) // the server's wait, not the backoff's
                        : Pushback.none())
            .build();

    AtomicInteger sends = new AtomicInteger();
    String result =
        fetch.call(
            () -> {
              if (sends.incrementAndGet() == 1) {
                throw new Throttled(Duration.ZERO); // no real wait in a test
              }
              return "quote";
            });
    assertThat(result).isEqualTo("quote");
    assertThat(sends).hasValue(2);
  }

  @Test
  void async() throws Exception {
    Client client = new Client(2);
    Request request = new Request("/quote");
    Retry fetch = Retry.of("fetch", 3);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    CompletableFuture<Response> f = fetch.callAsync(() -> client.sendAsync(request), scheduler);

    try {
      assertThat(f.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void customBackoffAndTestingWithoutWaiting() throws Exception {
    Client client = new Client(2);
    Request request = new Request("/quote");
    Backoff linear = (attempt, random) -> Duration.ofMillis(50L * attempt);
    RecordingSleeper sleeper = RecordingSleeper.create(); // from io.dyno:dyno-testing
    Retry retry =
        Retry.builder("test").maxAttempts(3).backoff(linear).sleeper(sleeper::sleep).build();
    retry.call(() -> client.send(request));
    // sleeper.sleeps(): [PT0.05S, PT0.1S], and the test took no time

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
  }
}
