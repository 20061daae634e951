package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dyno.testing.FakeTicker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster view on its own, with fake peers and a fake ticker: the URL read for a peer, one
 * reading shared by every client within the interval, a failed reading thrown to each client that
 * waited for it, and the peers that answer too much, too little or not in time.
 */
class ClusterViewTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final long MAX_AGE = TimeUnit.SECONDS.toNanos(5);

  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    executor.shutdownNow();
  }

  private ClusterView view(List<URI> peers, Supplier<String> self, FakeTicker ticker) {
    return new ClusterView(peers, self, TIMEOUT, MAX_AGE, ticker, executor);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> instances(String json) {
    return (List<Map<String, Object>>) MiniJson.object(json).get("instances");
  }

  /** The error listed for the first peer. */
  private static Object peerError(String json) {
    return instances(json).get(1).get("error");
  }

  /** Waits until {@code t} is parked, waiting for something another thread does. */
  private static void awaitParked(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
      assertThat(System.nanoTime() - deadline).as("thread parked in time").isNegative();
      Thread.onSpinWait();
    }
  }

  @Test
  void theUrlRead_isMetricsJsonWithHistograms_besideTheBaseUrlsPath() {
    assertThat(ClusterView.source(URI.create("http://h:1")))
        .isEqualTo(URI.create("http://h:1/metrics.json?histograms=true"));
    assertThat(ClusterView.source(URI.create("http://h:1/")))
        .isEqualTo(URI.create("http://h:1/metrics.json?histograms=true"));
    assertThat(ClusterView.source(URI.create("http://h:1/app")))
        .isEqualTo(URI.create("http://h:1/app/metrics.json?histograms=true"));
    assertThat(ClusterView.source(URI.create("https://[::1]:8443/app/")))
        .isEqualTo(URI.create("https://[::1]:8443/app/metrics.json?histograms=true"));
  }

  @Test
  void anAnswer_isHandedOutAgain_untilItIsAsOldAsTheInterval() {
    FakeTicker ticker = FakeTicker.startingAt(TimeUnit.SECONDS.toNanos(10));
    AtomicInteger reads = new AtomicInteger();
    ClusterView view =
        view(
            List.of(),
            () -> {
              reads.incrementAndGet();
              return "{}";
            },
            ticker);

    String first = view.json("http://self/");
    view.json("http://self/");
    ticker.advance(MAX_AGE - 1);
    view.json("http://self/");
    assertThat(reads).hasValue(1);
    ticker.advance(1);
    view.json("http://self/");

    assertThat(reads).hasValue(2);
    assertThat(first)
        .isEqualTo(
            "{\"instances\":[{\"url\":\"http://self/\",\"self\":true,\"ok\":true,\"error\":null}],"
                + "\"metrics\":{}}");
  }

  @Test
  void clientsArrivingDuringAReading_waitForThatReading() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    ClusterView view =
        view(
            List.of(),
            () -> {
              reads.incrementAndGet();
              entered.countDown();
              await(release);
              return "{}";
            },
            FakeTicker.create());
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> view.json("http://a/"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicReference<String> second = new AtomicReference<>();
    Thread arriving = new Thread(() -> second.set(view.json("http://b/")));
    arriving.start();
    awaitParked(arriving);

    release.countDown();
    arriving.join(10_000);

    assertThat(first.get(10, TimeUnit.SECONDS)).contains("\"metrics\":{}");
    assertThat(second.get()).contains("\"url\":\"http://b/\"").contains("\"metrics\":{}");
    assertThat(reads).hasValue(1);
  }

  @Test
  void aFailedReading_isThrownToEveryClientThatWaitedForIt_andTheNextClientReadsAgain()
      throws Exception {
    failedReadingIsShared(new IllegalStateException("registry broke"));
    failedReadingIsShared(new LinkageError("registry broke"));
  }

  private void failedReadingIsShared(Throwable failure) throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    ClusterView view =
        view(
            List.of(),
            () -> {
              if (reads.incrementAndGet() > 1) {
                return "{}";
              }
              entered.countDown();
              await(release);
              if (failure instanceof Error e) {
                throw e;
              }
              throw (RuntimeException) failure;
            },
            FakeTicker.create());
    AtomicReference<Throwable> first = new AtomicReference<>();
    AtomicReference<Throwable> second = new AtomicReference<>();
    Thread reading = new Thread(() -> first.set(thrownBy(() -> view.json("http://a/"))));
    reading.start();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    Thread waiting = new Thread(() -> second.set(thrownBy(() -> view.json("http://b/"))));
    waiting.start();
    awaitParked(waiting);

    release.countDown();
    reading.join(10_000);
    waiting.join(10_000);

    assertThat(first.get()).isSameAs(failure);
    assertThat(second.get()).isSameAs(failure);
    String next =
        CompletableFuture.supplyAsync(() -> view.json("http://c/"), executor)
            .get(10, TimeUnit.SECONDS);
    assertThat(next).contains("\"metrics\":{}");
    assertThat(reads).hasValue(2);
  }

  private static Throwable thrownBy(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException | Error e) {
      return e;
    }
    throw new AssertionError("nothing thrown");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aReadingInterrupted_listsThePeersNotDoneAsTimedOut_andKeepsTheInterrupt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    FakePeer peer =
        peer(
            exchange -> {
              await(release);
              respond(exchange, 200, "{}");
            });
    ClusterView view = view(List.of(peer.url()), () -> "{}", FakeTicker.create());

    Thread.currentThread().interrupt();
    String json;
    boolean interrupted;
    try {
      json = view.json("http://self/");
    } finally {
      interrupted = Thread.interrupted();
      release.countDown();
    }

    assertThat(interrupted).isTrue();
    assertThat(instances(json).get(1))
        .containsEntry("ok", false)
        .containsEntry("error", "timed out after 10.0 s");
  }

  @Test
  void aPeerThatCutsItsAnswerShort_isListedWithTheReadError() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> peer =
          CompletableFuture.runAsync(
              () -> {
                try (Socket s = listening.accept()) {
                  InputStream in = s.getInputStream();
                  StringBuilder request = new StringBuilder();
                  for (int c = in.read(); c >= 0; c = in.read()) {
                    request.append((char) c);
                    if (request.toString().endsWith("\r\n\r\n")) {
                      break;
                    }
                  }
                  s.getOutputStream()
                      .write(
                          "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"payments\""
                              .getBytes(StandardCharsets.UTF_8));
                  s.getOutputStream().flush();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              executor);
      URI url = URI.create("http://127.0.0.1:" + listening.getLocalPort() + "/");
      ClusterView view = view(List.of(url), () -> "{}", FakeTicker.create());

      String json = view.json("http://self/");

      peer.get(10, TimeUnit.SECONDS);
      assertThat(instances(json).get(1)).containsEntry("ok", false);
      assertThat((String) peerError(json))
          .matches("[A-Za-z]*(IOException|EOFException)(: .*)?")
          .doesNotContain("CompletionException");
    }
  }

  @Test
  void aPeerAnsweringPastTheLimit_isCutOff_andListedAsTooLarge() throws Exception {
    AtomicBoolean cutOff = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    FakePeer endless =
        peer(
            exchange -> {
              exchange.sendResponseHeaders(200, 0);
              byte[] spaces = " ".repeat(16 * 1024).getBytes(StandardCharsets.UTF_8);
              try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 4 * 1024; i++) {
                  out.write(spaces);
                  out.flush();
                }
              } catch (IOException e) {
                cutOff.set(true);
              } finally {
                done.countDown();
              }
            });
    FakePeer atLimit = peer(exchange -> respond(exchange, 200, "{}" + " ".repeat(998)));
    FakePeer pastLimit = peer(exchange -> respond(exchange, 200, "{}" + " ".repeat(999)));
    ClusterView view =
        new ClusterView(
            List.of(endless.url(), atLimit.url(), pastLimit.url()),
            () -> "{}",
            TIMEOUT,
            MAX_AGE,
            FakeTicker.create(),
            executor,
            1000);

    List<Map<String, Object>> listed = instances(view.json("http://self/"));

    assertThat(listed.get(1)).containsEntry("error", "IOException: answer larger than 1000 bytes");
    assertThat(listed.get(2)).containsEntry("ok", true);
    assertThat(listed.get(3)).containsEntry("error", "IOException: answer larger than 1000 bytes");
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cutOff).as("the connection to the endless peer is closed").isTrue();
  }

  @Test
  void errorsLongerThan200Characters_areCutTo200() throws Exception {
    String prefix = "bad answer: metric '";
    String suffix = "': time must be a whole number >= 0, was null";
    String fits = "m".repeat(200 - prefix.length() - suffix.length());
    String tooLong = fits + "n";
    FakePeer exact = peer(exchange -> respond(exchange, 200, "{\"" + fits + "\":{}}"));
    FakePeer over = peer(exchange -> respond(exchange, 200, "{\"" + tooLong + "\":{}}"));
    ClusterView view = view(List.of(exact.url(), over.url()), () -> "{}", FakeTicker.create());

    List<Map<String, Object>> listed = instances(view.json("http://self/"));

    assertThat(listed.get(1)).containsEntry("error", prefix + fits + suffix);
    String full = prefix + tooLong + suffix;
    assertThat(listed.get(2)).containsEntry("error", full.substring(0, 197) + "...");
  }

  @Test
  void aFailingPeer_isLoggedOncePerSpellOfFailing_andOnceWhenItAnswersAgain() throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    FakePeer peer = peer(exchange -> respond(exchange, status.get(), "{}"));
    FakeTicker ticker = FakeTicker.create();
    ClusterView view = view(List.of(peer.url()), () -> "{}", ticker);
    Runnable read =
        () -> {
          view.json("http://self/");
          ticker.advance(MAX_AGE);
        };

    String answering = logged(read, read);
    status.set(500);
    String failing = logged(read, read);
    status.set(200);
    String back = logged(read, read);
    status.set(500);
    String again = logged(read);

    assertThat(answering).isEmpty();
    assertThat(failing.split("left out until it answers: HTTP 500", -1)).hasSize(2);
    assertThat(failing).contains("WARN").contains(peer.url().toString());
    assertThat(back.split("answers again", -1)).hasSize(2);
    assertThat(back).doesNotContain("left out");
    assertThat(again).contains("left out until it answers");
  }

  /** What the view logs (slf4j-simple writes to {@code System.err}) while {@code work} runs. */
  private static String logged(Runnable... work) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      for (Runnable w : work) {
        w.run();
      }
    } finally {
      System.setErr(original);
    }
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutPeers_theViewIsThisInstanceAlone() {
    ClusterView view =
        view(
            List.of(),
            () -> "{\"x\":{\"name\":\"x\",\"error\":\"snapshot failed\"}}",
            FakeTicker.create());

    assertThat(view.json("http://self/"))
        .isEqualTo(
            "{\"instances\":[{\"url\":\"http://self/\",\"self\":true,\"ok\":true,\"error\":null}],"
                + "\"metrics\":{\"x\":{\"name\":\"x\",\"error\":\"snapshot failed\",\"hosts\":0,"
                + "\"circuits\":{}}}}");
    assertThatThrownBy(() -> view(List.of(), () -> "[]", FakeTicker.create()).json("http://s/"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Handles one request of a fake peer. */
  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  /** An HTTP server on a free loopback port, each request handled on a thread of its own. */
  private static final class FakePeer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService handlers = Executors.newCachedThreadPool();

    FakePeer(Handler handler) throws IOException {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.setExecutor(handlers);
      http.createContext(
          "/",
          exchange -> {
            try {
              handler.handle(exchange);
            } finally {
              exchange.close();
            }
          });
      http.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
      http.stop(0);
      handlers.shutdownNow();
    }
  }

  private FakePeer peer(Handler handler) throws IOException {
    FakePeer peer = new FakePeer(handler);
    closing.add(peer);
    return peer;
  }
}
