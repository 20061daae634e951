package io.dyno.metrics.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster view of {@code /cluster.json}: this instance's metrics merged with those of its peers
 * (see {@link ClusterMerge} for the rules), read at most once per interval however many clients
 * ask.
 *
 * <p><b>Reading peers.</b> Each peer's {@code metrics.json?histograms=true} is requested at once,
 * in parallel, with {@code java.net.http}; every peer has the same timeout, counted from the start
 * of the reading. A peer that refuses the connection, times out, answers other than 200 or answers
 * something that is not that format is listed with {@code "ok": false} and a short {@code "error"},
 * and left out of the merge; the answer is served all the same. A peer's failure is logged at WARN
 * once when it starts failing, and at INFO when it answers again.
 *
 * <p><b>Sharing.</b> An answer younger than the interval is handed out again; otherwise the first
 * client to ask reads the cluster and the clients arriving meanwhile wait for that same reading. No
 * lock is held while peers are read.
 *
 * <p>Thread-safe.
 */
public final class ClusterView {

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.metrics");

  /** The largest answer accepted from a peer. */
  static final int MAX_ANSWER_BYTES = 32 * 1024 * 1024;

  /** The longest error text listed for a peer. */
  private static final int MAX_ERROR_CHARS = 200;

  private final List<URI> peers;
  private final List<URI> sources;
  private final List<AtomicBoolean> failing;
  private final Supplier<String> self;
  private final Duration timeout;
  private final long maxAgeNanos;
  private final LongSupplier ticker;
  private final long maxAnswerBytes;

  /** The client that reads the peers; null when there is none to read. */
  private final @Nullable HttpClient client;

  private final ReentrantLock lock = new ReentrantLock();

  /** Guarded by {@link #lock}: the last answer and when it was read. */
  private @Nullable Answer answer;

  private long answeredAt;

  /** Guarded by {@link #lock}: the reading under way, which arriving clients wait for. */
  private @Nullable CompletableFuture<Answer> pending;

  /** One reading of the cluster: each peer's outcome, and the merged metrics as JSON text. */
  private record Answer(List<Outcome> peers, String metrics) {}

  /** How one peer answered: {@code error} is null when it did. */
  private record Outcome(URI url, @Nullable String error) {}

  /**
   * Creates a view; nothing is read until {@link #json} is asked.
   *
   * @param peers the other instances' base URLs, absolute http or https URLs
   * @param self this instance's {@code metrics.json} with histograms
   * @param timeout how long each peer has to answer
   * @param maxAgeNanos how old an answer may be and still be handed out again
   * @param ticker monotonic nanoseconds
   * @param executor runs the HTTP client's work; used only when there are peers
   */
  public ClusterView(
      List<URI> peers,
      Supplier<String> self,
      Duration timeout,
      long maxAgeNanos,
      LongSupplier ticker,
      Executor executor) {
    this(peers, self, timeout, maxAgeNanos, ticker, executor, MAX_ANSWER_BYTES);
  }

  /**
   * Creates a view that accepts answers of at most {@code maxAnswerBytes} from each peer.
   *
   * @param peers the other instances' base URLs, absolute http or https URLs
   * @param self this instance's {@code metrics.json} with histograms
   * @param timeout how long each peer has to answer
   * @param maxAgeNanos how old an answer may be and still be handed out again
   * @param ticker monotonic nanoseconds
   * @param executor runs the HTTP client's work; used only when there are peers
   * @param maxAnswerBytes the largest answer accepted from a peer
   */
  ClusterView(
      List<URI> peers,
      Supplier<String> self,
      Duration timeout,
      long maxAgeNanos,
      LongSupplier ticker,
      Executor executor,
      long maxAnswerBytes) {
    this.maxAnswerBytes = maxAnswerBytes;
    this.peers = List.copyOf(peers);
    List<URI> s = new ArrayList<>();
    List<AtomicBoolean> f = new ArrayList<>();
    for (URI peer : this.peers) {
      s.add(source(peer));
      f.add(new AtomicBoolean());
    }
    this.sources = List.copyOf(s);
    this.failing = List.copyOf(f);
    this.self = self;
    this.timeout = timeout;
    this.maxAgeNanos = maxAgeNanos;
    this.ticker = ticker;
    this.client =
        peers.isEmpty()
            ? null
            : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
  }

  /**
   * The URL read for a peer's base URL: its {@code metrics.json?histograms=true}, beside the base
   * URL's last path segment ({@code http://h:1/} and {@code http://h:1} both give {@code
   * http://h:1/metrics.json?histograms=true}).
   *
   * @param base the peer's base URL
   * @return the URL to read
   */
  static URI source(URI base) {
    // A hierarchical URL's path is never null: empty when it has none.
    String path = base.getRawPath();
    if (!path.endsWith("/")) {
      path = path + "/";
    }
    return URI.create(
        base.getScheme() + "://" + base.getRawAuthority() + path + "metrics.json?histograms=true");
  }

  /**
   * Returns the {@code /cluster.json} answer: {@code {"instances": [...], "metrics": {...}}}, this
   * instance first.
   *
   * @param selfUrl this instance's URL as the client sees it
   * @return the JSON text
   */
  public String json(String selfUrl) {
    Answer a = current();
    JsonWriter instances = new JsonWriter().beginArray();
    instance(instances, selfUrl, true, null);
    for (Outcome o : a.peers()) {
      instance(instances, o.url().toString(), false, o.error());
    }
    instances.endArray();
    return "{\"instances\":" + instances + ",\"metrics\":" + a.metrics() + "}";
  }

  private static void instance(JsonWriter w, String url, boolean self, @Nullable String error) {
    w.beginObject();
    w.name("url").value(url);
    w.name("self").value(self);
    w.name("ok").value(error == null);
    w.name("error");
    if (error == null) {
      w.nullValue();
    } else {
      w.value(error);
    }
    w.endObject();
  }

  /** Returns an answer younger than the interval, reading the cluster if there is none. */
  private Answer current() {
    CompletableFuture<Answer> reading;
    boolean mine = false;
    lock.lock();
    try {
      Answer last = answer;
      if (last != null && ticker.getAsLong() - answeredAt < maxAgeNanos) {
        return last;
      }
      reading = pending;
      if (reading == null) {
        reading = new CompletableFuture<>();
        pending = reading;
        mine = true;
      }
    } finally {
      lock.unlock();
    }
    if (mine) {
      Answer fresh;
      try {
        fresh = read();
      } catch (RuntimeException | Error e) {
        lock.lock();
        try {
          pending = null;
        } finally {
          lock.unlock();
        }
        reading.completeExceptionally(e);
        throw e;
      }
      lock.lock();
      try {
        answer = fresh;
        answeredAt = ticker.getAsLong();
        pending = null;
      } finally {
        lock.unlock();
      }
      reading.complete(fresh);
      return fresh;
    }
    try {
      return reading.join();
    } catch (CompletionException e) {
      // The reading failed with what read() threw, which is unchecked: the same is thrown here.
      Throwable cause = e.getCause();
      if (cause instanceof Error err) {
        throw err;
      }
      throw (RuntimeException) cause;
    }
  }

  /** Reads this instance and every peer, and merges what answered. */
  private Answer read() {
    List<CompletableFuture<HttpResponse<byte[]>>> requests = new ArrayList<>(peers.size());
    for (URI source : sources) {
      requests.add(send(source));
    }
    List<Map<String, ClusterMerge.Metric>> instances = new ArrayList<>(peers.size() + 1);
    instances.add(ClusterMerge.read(JsonReader.parseObject(self.get())));
    awaitAll(requests);
    List<Outcome> outcomes = new ArrayList<>(peers.size());
    for (int i = 0; i < requests.size(); i++) {
      CompletableFuture<HttpResponse<byte[]>> request = requests.get(i);
      String error;
      try {
        HttpResponse<byte[]> response = request.getNow(null);
        if (response == null) {
          request.cancel(true);
          error = "timed out after " + Durations.format(timeout);
        } else {
          instances.add(parse(i, response));
          error = null;
        }
      } catch (CompletionException | CancellationException | IllegalArgumentException e) {
        error = describe(e);
      }
      outcomes.add(new Outcome(peers.get(i), error));
      report(i, error);
    }
    return new Answer(List.copyOf(outcomes), ClusterMerge.merge(instances));
  }

  /** Starts reading a peer's {@code source}. */
  @SuppressWarnings("NullAway") // there is a client whenever there is a peer to read
  private CompletableFuture<HttpResponse<byte[]>> send(URI source) {
    HttpRequest request =
        HttpRequest.newBuilder(source)
            .timeout(timeout)
            .header("Accept", "application/json")
            .GET()
            .build();
    return client.sendAsync(request, info -> new LimitedBody(maxAnswerBytes));
  }

  /** Waits until every request is done or the timeout has passed, whichever comes first. */
  private void awaitAll(List<CompletableFuture<HttpResponse<byte[]>>> requests) {
    try {
      CompletableFuture.allOf(requests.toArray(new CompletableFuture<?>[0]))
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      // The server is closing: the peers not done yet are listed as not answering.
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Each request's own outcome is read next.
    }
  }

  /** Reads peer {@code i}'s answer into its metrics. */
  private Map<String, ClusterMerge.Metric> parse(int i, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status == 403) {
      URI peer = peers.get(i);
      throw new IllegalArgumentException(
          "HTTP 403: the peer does not allow the Host '"
              + peer.getRawAuthority()
              + "'; add '"
              + peer.getHost()
              + "' to its allowHosts");
    }
    if (status != 200) {
      throw new IllegalArgumentException("HTTP " + status + " from " + sources.get(i));
    }
    try {
      String body = new String(response.body(), StandardCharsets.UTF_8);
      return ClusterMerge.read(JsonReader.parseObject(body));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad answer: " + e.getMessage(), e);
    }
  }

  /** Logs a peer's failure once per spell of failing, and its return. */
  private void report(int i, @Nullable String error) {
    AtomicBoolean wasFailing = failing.get(i);
    if (error != null) {
      if (wasFailing.compareAndSet(false, true)) {
        LOG.warn(
            "MetricsServer cluster: peer {} left out until it answers: {}", peers.get(i), error);
      }
    } else if (wasFailing.compareAndSet(true, false)) {
      LOG.info("MetricsServer cluster: peer {} answers again", peers.get(i));
    }
  }

  /** A short description of why a peer did not answer, for {@code "error"}. */
  private String describe(Exception e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    String text;
    if (t instanceof IllegalArgumentException) {
      text = String.valueOf(t.getMessage());
    } else if (t instanceof HttpConnectTimeoutException) {
      text = "connect timed out after " + Durations.format(timeout);
    } else if (t instanceof HttpTimeoutException) {
      text = "timed out after " + Durations.format(timeout);
    } else if (isRefused(t)) {
      text = "connection refused";
    } else {
      String message = t.getMessage();
      text = t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS - 3) + "...";
  }

  private static boolean isRefused(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Collects an answer's body up to a limit, failing past it, so that a peer answering without end
   * cannot fill the memory.
   */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final long max;
    private final HttpResponse.BodySubscriber<byte[]> bytes =
        HttpResponse.BodySubscribers.ofByteArray();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private long received;
    private Flow.@Nullable Subscription subscription;

    LimitedBody(long max) {
      this.max = max;
      bytes
          .getBody()
          .whenComplete(
              (b, e) -> {
                if (e != null) {
                  body.completeExceptionally(e);
                } else {
                  body.complete(b);
                }
              });
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      bytes.onSubscribe(s);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      // Past the limit the body has failed, and whatever still arrives is dropped here.
      for (ByteBuffer b : items) {
        received += b.remaining();
      }
      if (received > max) {
        cancel();
        body.completeExceptionally(new IOException("answer larger than " + max + " bytes"));
        return;
      }
      bytes.onNext(items);
    }

    @SuppressWarnings("NullAway") // onNext, the only caller, comes only after onSubscribe
    private void cancel() {
      subscription.cancel();
    }

    @Override
    public void onError(Throwable t) {
      bytes.onError(t);
    }

    @Override
    public void onComplete() {
      bytes.onComplete();
    }

    @Override
    public CompletableFuture<byte[]> getBody() {
      return body;
    }
  }
}
