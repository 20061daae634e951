package io.dyno.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dyno.metrics.internal.ClusterView;
import io.dyno.metrics.internal.Durations;
import io.dyno.metrics.internal.EventStream;
import io.dyno.metrics.internal.FrameCache;
import io.dyno.metrics.internal.HistogramCodec;
import io.dyno.metrics.internal.HystrixFrames;
import io.dyno.metrics.internal.Names;
import io.dyno.metrics.internal.PrometheusText;
import io.dyno.metrics.internal.SnapshotJson;
import io.dyno.metrics.internal.hdr.Histogram;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP front end for a {@link MetricsRegistry}, on the JDK's own {@code com.sun.net.httpserver}:
 * a live dashboard page, a Hystrix-compatible Server-Sent Events stream, a JSON snapshot and a
 * Prometheus scrape target.
 *
 * <pre>{@code
 * MetricsServer server = MetricsServer.start(registry, 7979);
 * }</pre>
 *
 * <ul>
 *   <li>{@code GET /} the dashboard, one self-contained page from the jar (no internet needed);
 *   <li>{@code GET /stream} {@code text/event-stream}: every stream interval (1 s by default) one
 *       {@code data: {json}} frame per metric in the Hystrix dashboard's {@code HystrixCommand}
 *       format, or a {@code : ping} comment when the registry is empty;
 *   <li>{@code GET /metrics} every metric's {@linkplain Metrics#totals() totals}, in-flight gauges
 *       and status in Prometheus's text format 0.0.4, or in OpenMetrics 1.0 when the {@code Accept}
 *       header names {@code application/openmetrics-text}: calls by outcome and failures by
 *       exception type as counters ({@code dyno_calls_total}, {@code dyno_call_failures_total}),
 *       latencies as a histogram in seconds ({@code dyno_call_duration_seconds}) with the same
 *       fixed buckets on every instance, so that sums across instances are exact, and gauges; each
 *       labelled {@code name="payments"}. docs/metrics.md lists every family;
 *   <li>{@code GET /metrics.json} one JSON object of every snapshot, keyed by name; with {@code
 *       ?histograms=true} each metric also carries {@code "latencyHistogram"}, its latency window's
 *       histogram in HdrHistogram's compressed encoding (V2) in base64, values in nanoseconds at 3
 *       significant digits, which any HdrHistogram implementation (Java, Go, Python, JavaScript,
 *       ...) decodes;
 *   <li>{@code GET /cluster.json} the metrics of this instance and of its {@linkplain
 *       Builder#cluster peers} merged by name, counts summed and percentiles exact, computed from
 *       the union of the instances' latency histograms:
 *       <pre>{@code
 * {"instances": [{"url": "http://localhost:7979/", "self": true, "ok": true, "error": null},
 *                {"url": "http://10.0.0.8:7979/", "self": false, "ok": false,
 *                 "error": "connection refused"}],
 *  "metrics": {"payments": {...every member of metrics.json, merged...,
 *                           "hosts": 2, "circuits": {"OPEN": 1, "CLOSED": 1}}}}
 * }</pre>
 *       Without peers it has the same shape, with this instance alone. See {@link Builder#cluster}
 *       for the merge rules.
 * </ul>
 *
 * <p>{@code HEAD} answers like {@code GET} without a body, reading no metric and opening no stream.
 * Any other path answers 404 and any other method 405, with a one-line plain-text body. A request
 * whose {@code Host} header is not {@code localhost}, {@code 127.0.0.1} or {@code [::1]} (any port)
 * nor one of {@link Builder#allowHosts} answers 403 on every path, so that a web page cannot read
 * the metrics by rebinding its own name to this machine. A metric whose snapshot fails is shown as
 * broken in {@code /metrics.json} and left out of {@code /stream}; one whose snapshot or totals
 * fail is left out of {@code /metrics}, and logged at WARN once until it reads again; the others
 * are served as usual.
 *
 * <p><b>Threads.</b> Requests are handled on a fixed pool of {@value #HANDLER_THREADS} threads. A
 * stream holds no thread while idle: one scheduler thread reads the registry once per interval and
 * hands each client's frame to a writer pool of at most {@code maxStreams} threads, which a thread
 * only holds while it writes. A client still busy with the previous frame skips this one, so a slow
 * client delays nobody else; a client that has gone is noticed by its failed write and dropped. At
 * most {@code maxStreams} (32 by default) streams are open at once; another client gets 503, before
 * any metric is read. Clients that connect within an interval of the last reading share it. A write
 * that blocks longer than the write timeout (10 s by default) on a client that stopped reading is
 * ended and the client dropped. Requests wait in a queue of at most 256; past that the accepting
 * thread answers them itself. {@link #close()} stops the server, ends every stream and shuts every
 * pool down.
 *
 * <p>Thread-safe.
 */
public final class MetricsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.metrics");

  private static final int HANDLER_THREADS = 4;

  /** How long {@link #close()} waits for each of the server's pools to stop. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /** Requests waiting for a handler thread; past this the accepting thread answers them itself. */
  private static final int HANDLER_QUEUE = 256;

  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
  private static final String DASHBOARD = "dashboard.html";

  private final MetricsRegistry registry;
  private final Duration streamInterval;
  private final String group;
  private final Duration writeTimeout;

  /** Monotonic time, for the stream interval and the write timeout. */
  private final LongSupplier ticker;

  private final Set<String> allowedHosts;
  private final FrameCache frames;

  /** The merged view of {@code /cluster.json}, read at most once per stream interval. */
  private final ClusterView cluster;

  /** Metrics whose last reading with a histogram failed, so that each is logged once a spell. */
  private final Set<Metrics> brokenWithHistogram = ConcurrentHashMap.newKeySet();

  /**
   * Metrics whose last reading for {@code /metrics} failed, so that each is logged once a spell.
   */
  private final Set<Metrics> brokenForPrometheus = ConcurrentHashMap.newKeySet();

  /** Writes the frames of a tick; used only under the frame cache's lock. */
  private final HystrixFrames hystrix;

  private final byte[] dashboard;
  private final HttpServer server;

  /** Runs request handlers. */
  private final Executor handlers;

  /** Writes stream frames; a write holds a thread only while it writes. */
  private final Executor writers;

  /** The pools this server made and so shuts down on close; never a user's executor. */
  private final List<ExecutorService> ownPools;

  private final ScheduledExecutorService scheduler;
  private final Semaphore streamPermits;
  private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ReentrantLock streamsLock = new ReentrantLock();
  private final Condition streamsChanged = streamsLock.newCondition();

  /** Whether the scheduled writer has been started; guarded by streamsLock. */
  private boolean ticking;

  private MetricsServer(Builder b) throws IOException {
    this.registry = b.registry;
    this.streamInterval = b.streamInterval;
    this.group = b.group;
    this.writeTimeout = b.writeTimeout;
    this.ticker = b.ticker;
    this.allowedHosts = Set.copyOf(b.allowedHosts);
    this.hystrix = new HystrixFrames(group);
    this.frames = new FrameCache(this::readFrames, streamInterval.toNanos(), b.ticker);
    this.dashboard = loadDashboard();
    this.streamPermits = new Semaphore(b.maxStreams);
    this.server = bind(new InetSocketAddress(b.bindAddress, b.port));
    String prefix = "dyno-metrics-server-" + server.getAddress().getPort();
    List<ExecutorService> pools = new ArrayList<>();
    if (b.executor != null) {
      this.handlers = b.executor;
      this.writers = b.executor;
    } else {
      ThreadPoolExecutor http =
          new ThreadPoolExecutor(
              HANDLER_THREADS,
              HANDLER_THREADS,
              0,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(HANDLER_QUEUE),
              threads(prefix + "-http"),
              // A full queue slows the accepting of connections instead of growing without bound.
              new ThreadPoolExecutor.CallerRunsPolicy());
      ThreadPoolExecutor stream =
          new ThreadPoolExecutor(
              b.maxStreams,
              b.maxStreams,
              10,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              threads(prefix + "-stream"));
      stream.allowCoreThreadTimeOut(true);
      this.handlers = http;
      this.writers = stream;
      pools.add(http);
      pools.add(stream);
    }
    // The peers' answers are handled on a pool of the server's own, which close() shuts down; it
    // starts no thread until there is a peer to read.
    ThreadPoolExecutor peerPool =
        new ThreadPoolExecutor(
            2, 2, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads(prefix + "-cluster"));
    peerPool.allowCoreThreadTimeOut(true);
    pools.add(peerPool);
    this.ownPools = List.copyOf(pools);
    this.cluster =
        new ClusterView(
            b.peers,
            this::readWithHistograms,
            clusterTimeout(streamInterval),
            streamInterval.toNanos(),
            ticker,
            peerPool);
    ScheduledThreadPoolExecutor ticks =
        new ScheduledThreadPoolExecutor(1, threads(prefix + "-tick"));
    ticks.setRemoveOnCancelPolicy(true);
    this.scheduler = ticks;
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
  }

  /**
   * Creates the HTTP server on {@code address}; a port that is taken fails with a {@link
   * BindException} that names it and says what to do, the JDK's own as its cause.
   */
  private static HttpServer bind(InetSocketAddress address) throws IOException {
    try {
      return HttpServer.create(address, 0);
    } catch (BindException e) {
      BindException named = new BindException(portInUse(address.getPort()));
      named.initCause(e);
      throw named;
    }
  }

  /**
   * Returns the message for a port that is taken.
   *
   * @param port the port asked for
   * @return {@code port 8080 is in use: ...}
   */
  private static String portInUse(int port) {
    return "port "
        + port
        + " is in use: stop what listens there, or pass another port (0 picks a free one)";
  }

  /**
   * Starts a server for {@code registry} on {@code port} of the loopback address, with the default
   * settings.
   *
   * @param registry the metrics to serve
   * @param port the TCP port, or 0 for any free one (see {@link #port()})
   * @return the running server
   * @throws BindException if the port is in use, as {@code port 8080 is in use: stop what listens
   *     there, or pass another port (0 picks a free one)}
   * @throws IOException if the port cannot be bound for another reason
   * @throws IllegalArgumentException if {@code port} is outside 0 to 65535
   */
  public static MetricsServer start(MetricsRegistry registry, int port) throws IOException {
    return builder(registry).port(port).start();
  }

  /**
   * Returns a builder for a server of {@code registry}: port 0, the loopback address, a 1 second
   * stream interval, at most 32 streams and group {@code "dyno"} until changed.
   *
   * @param registry the metrics to serve
   * @return the builder
   */
  public static Builder builder(MetricsRegistry registry) {
    return new Builder(registry);
  }

  /**
   * Returns the port the server listens on, the one chosen when started with port 0.
   *
   * @return the port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Returns the number of {@code /stream} clients connected now.
   *
   * @return the open streams
   */
  public int openStreams() {
    return streams.size();
  }

  /**
   * Stops the server: refuses new connections, ends every open stream and shuts the server's
   * threads down, waiting a few seconds at most. Later calls do nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    scheduler.shutdownNow();
    // Stopping first closes every connection, so that the streams' final writes fail at once
    // instead of waiting on clients that do not read. Some JDKs' stop clears the caller's
    // interrupt while it waits for its dispatcher: the interrupt is kept aside and restored.
    boolean interrupted = Thread.interrupted();
    server.stop(0);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    for (EventStream stream : streams) {
      stream.close();
    }
    for (ExecutorService pool : ownPools) {
      pool.shutdownNow();
    }
    try {
      long wait = CLOSE_WAIT.toNanos();
      boolean done = scheduler.awaitTermination(wait, TimeUnit.NANOSECONDS);
      for (ExecutorService pool : ownPools) {
        done &= pool.awaitTermination(wait, TimeUnit.NANOSECONDS);
      }
      if (!done) {
        LOG.warn(
            "MetricsServer on port {}: threads still running {} after close",
            port(),
            Durations.format(CLOSE_WAIT));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "MetricsServer[port="
        + port()
        + ", streamInterval="
        + Durations.format(streamInterval)
        + ", openStreams="
        + openStreams()
        + ", state="
        + (closed.get() ? "CLOSED" : "OPEN")
        + "]";
  }

  /**
   * Waits until exactly {@code count} streams are open, for tests that need to see a client come or
   * go on the server's side.
   */
  boolean awaitOpenStreams(int count, Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    boolean reached;
    streamsLock.lock();
    try {
      while (streams.size() != count && nanos > 0) {
        nanos = streamsChanged.awaitNanos(nanos);
      }
      reached = streams.size() == count;
    } finally {
      streamsLock.unlock();
    }
    return reached;
  }

  // ---------------------------------------------------------------- requests

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      boolean known =
          path.equals("/")
              || path.equals("/stream")
              || path.equals("/metrics")
              || path.equals("/metrics.json")
              || path.equals("/cluster.json");
      // The Host check comes first: a page on another site that reaches this port through DNS
      // rebinding sends its own host name, and must learn nothing, not even which paths exist.
      if (!hostAllowed(exchange.getRequestHeaders().getFirst("Host"))) {
        sendText(exchange, 403, "Forbidden: the Host header names no allowed host\n");
      } else if (!known) {
        sendText(
            exchange,
            404,
            "Not found: the paths are /, /stream, /metrics, /metrics.json and /cluster.json\n");
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        sendText(exchange, 405, "Method not allowed: use GET or HEAD\n");
      } else if (path.equals("/stream")) {
        openStream(exchange);
      } else if (path.equals("/")) {
        send(exchange, 200, "text/html; charset=utf-8", dashboard);
      } else if (path.equals("/metrics")) {
        PrometheusText.Format format =
            PrometheusText.negotiate(exchange.getRequestHeaders().getFirst("Accept"));
        exchange.getResponseHeaders().set("Vary", "Accept");
        // A HEAD reads no metric: it gets the headers of the format it asked for.
        byte[] body = method.equals("HEAD") ? new byte[0] : bytes(readPrometheus(format));
        send(exchange, 200, format.contentType(), body);
      } else if (method.equals("HEAD")) {
        // The headers a GET would send, without reading the registry for a body nobody gets.
        send(exchange, 200, "application/json", new byte[0]);
      } else if (path.equals("/cluster.json")) {
        String self = "http://" + exchange.getRequestHeaders().getFirst("Host").strip() + "/";
        send(exchange, 200, "application/json", bytes(cluster.json(self)));
      } else if (wantsHistograms(exchange.getRequestURI().getRawQuery())) {
        send(exchange, 200, "application/json", bytes(readWithHistograms()));
      } else {
        MetricsRegistry.Reading reading = registry.read();
        String json = SnapshotJson.all(reading.snapshots(), reading.failed());
        send(exchange, 200, "application/json", bytes(json));
      }
    } catch (IOException e) {
      // The client went away mid-response: nothing to tell it.
      exchange.close();
    } catch (RuntimeException e) {
      LOG.warn(
          "MetricsServer: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      // A stack trace stays in the log, never in the body. If the headers are out already, the
      // response cannot change, and closing the exchange cuts it short.
      if (exchange.getResponseCode() == -1) {
        sendText(exchange, 500, "Internal error\n");
      } else {
        exchange.close();
      }
    }
  }

  private void openStream(HttpExchange exchange) throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "text/event-stream;charset=UTF-8");
    headers.set("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
    headers.set("Pragma", "no-cache");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      return;
    }
    // The place is taken before any work, so that a client turned away costs next to nothing.
    if (!streamPermits.tryAcquire()) {
      headers.remove("Content-Type");
      headers.set("Retry-After", "5");
      sendText(exchange, 503, "Too many streams open\n");
      return;
    }
    byte[] first;
    try {
      // Shared with every client that connects within the interval, and with the last tick.
      first = frames.current();
      exchange.sendResponseHeaders(200, 0);
    } catch (IOException | RuntimeException e) {
      streamPermits.release();
      throw e;
    }
    EventStream stream = new EventStream(exchange, ticker, () -> removed(exchange));
    added(stream);
    if (closed.get()) {
      // close() may have swept the streams before this one was added.
      stream.close();
      return;
    }
    // The stream starts claimed: its first frame goes out now, not an interval from now.
    submit(stream, first);
  }

  private void added(EventStream stream) {
    streamsLock.lock();
    try {
      streams.add(stream);
      startTicking();
      streamsChanged.signalAll();
    } finally {
      streamsLock.unlock();
    }
  }

  private void removed(HttpExchange exchange) {
    // The place is free before anyone waiting for the stream to go is told it has.
    streamPermits.release();
    streamsLock.lock();
    try {
      streams.removeIf(s -> s.isClosed());
      streamsChanged.signalAll();
    } finally {
      streamsLock.unlock();
    }
    LOG.debug("MetricsServer: stream to {} closed", exchange.getRemoteAddress());
  }

  /** Starts the scheduled writer the first time a client connects; called under streamsLock. */
  private void startTicking() {
    if (ticking) {
      return;
    }
    ticking = true;
    try {
      var unused =
          scheduler.scheduleWithFixedDelay(
              this::tick, streamInterval.toNanos(), streamInterval.toNanos(), TimeUnit.NANOSECONDS);
      // A stuck write is found within a quarter of the timeout past it.
      long check = Math.max(TimeUnit.MILLISECONDS.toNanos(1), writeTimeout.toNanos() / 4);
      var unusedToo =
          scheduler.scheduleWithFixedDelay(
              this::expireStuckWrites, check, check, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // close() is under way; it ends the streams.
    }
  }

  /** One interval: read the registry once and offer the frames to every client not still busy. */
  private void tick() {
    if (streams.isEmpty()) {
      return;
    }
    try {
      byte[] shared = frames.refresh();
      for (EventStream stream : streams) {
        if (stream.tryClaim()) {
          submit(stream, shared);
        }
      }
    } catch (RuntimeException e) {
      // An exception would cancel the schedule and silence every stream: log it and go on.
      LOG.warn("MetricsServer: stream tick failed", e);
    }
  }

  /** Ends the writes that have blocked longer than the write timeout, freeing their places. */
  private void expireStuckWrites() {
    long now = ticker.getAsLong();
    for (EventStream stream : streams) {
      stream.expireStuckWrite(now, writeTimeout.toNanos());
    }
  }

  /** Whether {@code host}, a request's Host header, names a loopback name or an allowed host. */
  private boolean hostAllowed(@Nullable String host) {
    if (host == null) {
      return false;
    }
    String name = hostName(host.strip().toLowerCase(Locale.ROOT));
    return LOOPBACK_HOSTS.contains(name) || allowedHosts.contains(name);
  }

  /** The host of a Host header without its port: {@code [::1]:80} gives {@code [::1]}. */
  static String hostName(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  /** Whether a query string asks for {@code histograms=true}. */
  static boolean wantsHistograms(@Nullable String query) {
    if (query == null) {
      return false;
    }
    for (String parameter : query.split("&", -1)) {
      if (parameter.equals("histograms=true")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads every metric with its latency histogram, each pair in one reading, into {@code
   * metrics.json} with {@code "latencyHistogram"} members. A metric whose reading fails is listed
   * as broken, and logged at WARN once until it reads again.
   */
  private String readWithHistograms() {
    List<Metrics> all = registry.all();
    List<MetricsSnapshot> snapshots = new ArrayList<>(all.size());
    List<String> failed = new ArrayList<>();
    Map<String, String> histograms = new HashMap<>();
    for (Metrics m : all) {
      try {
        Histogram latencies = new Histogram(3);
        MetricsSnapshot s = m.snapshot(latencies);
        snapshots.add(s);
        histograms.put(s.name(), HistogramCodec.encode(latencies));
        brokenWithHistogram.remove(m);
      } catch (RuntimeException e) {
        failed.add(m.name());
        if (brokenWithHistogram.add(m)) {
          LOG.warn("MetricsServer: reading {} failed; listed as broken until it reads again", m, e);
        }
      }
    }
    return SnapshotJson.all(snapshots, failed, histograms);
  }

  /**
   * Reads every metric's snapshot and totals into the Prometheus exposition. A metric whose reading
   * fails is left out, and logged at WARN once until it reads again.
   */
  private String readPrometheus(PrometheusText.Format format) {
    List<Metrics> all = registry.all();
    List<PrometheusText.Metric> read = new ArrayList<>(all.size());
    for (Metrics m : all) {
      try {
        read.add(new PrometheusText.Metric(m.snapshot(), m.totals()));
        brokenForPrometheus.remove(m);
      } catch (RuntimeException e) {
        if (brokenForPrometheus.add(m)) {
          LOG.warn(
              "MetricsServer: reading {} for /metrics failed; left out until it reads again", m, e);
        }
      }
    }
    return PrometheusText.write(read, format);
  }

  /**
   * How long a peer has to answer: the stream interval, at least 1 second and at most 10, so that a
   * reading of the cluster never waits much longer than the interval it is shared for.
   */
  static Duration clusterTimeout(Duration streamInterval) {
    long atLeast = TimeUnit.SECONDS.toNanos(1);
    long atMost = TimeUnit.SECONDS.toNanos(10);
    return Duration.ofNanos(Math.min(atMost, Math.max(atLeast, streamInterval.toNanos())));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private void submit(EventStream stream, byte[] frames) {
    try {
      writers.execute(() -> stream.write(frames));
    } catch (RejectedExecutionException closing) {
      stream.close();
    }
  }

  /** One emission: a data frame per metric, or a ping comment when there are none. */
  private byte[] readFrames() {
    return hystrix.write(registry.snapshots());
  }

  private static void sendText(HttpExchange exchange, int status, String body) throws IOException {
    send(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    if (exchange.getRequestMethod().equals("HEAD")) {
      // A HEAD answer carries a GET's headers and no body; the JDK server wants -1 for that.
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] loadDashboard() {
    try (InputStream in = MetricsServer.class.getResourceAsStream(DASHBOARD)) {
      if (in == null) {
        throw new IllegalStateException("MetricsServer: resource " + DASHBOARD + " is missing");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("MetricsServer: cannot read " + DASHBOARD, e);
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Settings for a {@link MetricsServer}; {@link #start()} binds and starts it.
   *
   * <p>Not thread-safe: configure on one thread.
   */
  public static final class Builder {

    private final MetricsRegistry registry;
    private int port;
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private Duration streamInterval = Duration.ofSeconds(1);
    private int maxStreams = 32;
    private String group = "dyno";
    private Duration writeTimeout = Duration.ofSeconds(10);
    private LongSupplier ticker = Metrics.systemTicker();
    private Set<String> allowedHosts = Set.of();
    private @Nullable Executor executor;
    private List<URI> peers = List.of();

    private Builder(MetricsRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry must not be null");
    }

    /**
     * Sets the TCP port; 0 (the default) picks a free one.
     *
     * @param port from 0 to 65535
     * @return this builder
     * @throws IllegalArgumentException if {@code port} is outside 0 to 65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the address to listen on; the loopback address by default, so that the metrics are not
     * reachable from other machines unless asked for.
     *
     * @param bindAddress the address
     * @return this builder
     */
    public Builder bindAddress(InetAddress bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress must not be null");
      return this;
    }

    /**
     * Runs the server's request handlers and stream writes on {@code executor} instead of the
     * server's own small pools, for example a virtual-thread executor on Java 21+. The server never
     * shuts a given executor down; {@code close()} still ends every stream. The stream limit
     * ({@link #maxStreams}) applies as before; the ticking that reads the registry once per
     * interval keeps its own thread.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor must not be null");
      return this;
    }

    /**
     * Sets how often {@code /stream} sends every metric; 1 second by default, as Hystrix does.
     *
     * @param streamInterval from 1 ms to 1 hour
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder streamInterval(Duration streamInterval) {
      Objects.requireNonNull(streamInterval, "streamInterval must not be null");
      if (streamInterval.compareTo(Duration.ofMillis(1)) < 0
          || streamInterval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "streamInterval must be between PT0.001S and PT1H, was " + streamInterval);
      }
      this.streamInterval = streamInterval;
      return this;
    }

    /**
     * Sets how many {@code /stream} clients may be connected at once; 32 by default. This also
     * bounds the stream writer threads.
     *
     * @param maxStreams from 1 to 1000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxStreams(int maxStreams) {
      if (maxStreams < 1 || maxStreams > 1000) {
        throw new IllegalArgumentException(
            "maxStreams must be between 1 and 1000, was " + maxStreams);
      }
      this.maxStreams = maxStreams;
      return this;
    }

    /**
     * Sets the Hystrix command group (and thread pool) reported for every metric; {@code "dyno"} by
     * default.
     *
     * @param group the group, not blank
     * @return this builder
     * @throws IllegalArgumentException if blank
     */
    public Builder group(String group) {
      this.group = Names.require(group, "group");
      return this;
    }

    /**
     * Sets how long one write to a {@code /stream} client may block before the client is dropped
     * and its place freed; 10 seconds by default. A client that stops reading (a frozen tab, a
     * proxy that stalls) fills the connection's buffers, and the write waits for it; past this
     * timeout the connection is closed.
     *
     * @param writeTimeout from 1 ms to 1 hour
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder writeTimeout(Duration writeTimeout) {
      Objects.requireNonNull(writeTimeout, "writeTimeout must not be null");
      if (writeTimeout.compareTo(Duration.ofMillis(1)) < 0
          || writeTimeout.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "writeTimeout must be between PT0.001S and PT1H, was " + writeTimeout);
      }
      this.writeTimeout = writeTimeout;
      return this;
    }

    /**
     * Sets the monotonic clock, in nanoseconds, that times the stream interval and the write
     * timeout; {@link Metrics#systemTicker()} by default.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Sets the host names, besides the loopback names, that requests may carry in their {@code
     * Host} header; none by default. A request naming any other host gets 403, so that a web page
     * on another site cannot read the metrics by rebinding its own name to this machine's address.
     * {@code localhost}, {@code 127.0.0.1} and {@code [::1]} are always allowed, with any port. A
     * server bound to another address for other machines to read lists here the names they use,
     * such as {@code "metrics.internal"} or {@code "10.0.0.7"}. Replaces any earlier list.
     *
     * @param hosts host names or addresses without a port, an IPv6 address in brackets
     * @return this builder
     * @throws IllegalArgumentException if a name is blank or has a port or a space
     */
    public Builder allowHosts(String... hosts) {
      Objects.requireNonNull(hosts, "hosts must not be null");
      Set<String> names = new java.util.LinkedHashSet<>();
      for (int i = 0; i < hosts.length; i++) {
        String host = Objects.requireNonNull(hosts[i], "hosts[" + i + "] must not be null");
        String name = host.toLowerCase(Locale.ROOT);
        if (name.isBlank()
            || !hostName(name).equals(name)
            || name.chars().anyMatch(c -> c <= ' ')) {
          throw new IllegalArgumentException(
              "hosts must be host names without a port, was '" + host + "'");
        }
        names.add(name);
      }
      this.allowedHosts = Set.copyOf(names);
      return this;
    }

    /**
     * Sets the other instances of this service whose metrics {@code /cluster.json} merges with this
     * one's, by the base URLs of their own {@code MetricsServer}s, such as {@code
     * http://10.0.0.8:7979/}; none by default, when {@code /cluster.json} shows this instance
     * alone. Replaces any earlier list. Each peer must list in its {@link #allowHosts} the name
     * used here, and bind an address this instance reaches.
     *
     * <p><b>Reading.</b> Every peer's {@code metrics.json?histograms=true} is read in parallel with
     * {@code java.net.http}, at most once per stream interval however many clients ask: clients
     * within an interval share one reading. Each peer has the stream interval to answer, at least 1
     * second and at most 10. A peer that is down, times out, answers an error or something that is
     * not that format is listed in {@code "instances"} with {@code "ok": false} and a short {@code
     * "error"} (a peer answering 403 is named as not allowing this Host), and its metrics are left
     * out; the answer is served all the same. A peer's failure is logged at WARN on {@code
     * io.dyno.metrics} once per spell of failing.
     *
     * <p><b>Merging.</b> Metrics of one name are merged across the instances that report it:
     *
     * <ul>
     *   <li>{@code successes}, {@code failures}, {@code timeouts}, {@code shortCircuits}, {@code
     *       rejections}, {@code inFlight}, {@code maxInFlight}, each {@code failuresByType} entry
     *       and {@code ratePerSecond} are summed; {@code requests} and {@code errors} are the sums
     *       of their parts and {@code errorPercentage} is recomputed from them, never averaged;
     *   <li>{@code latencyCount}, {@code latencyMeanMillis} and every percentile of {@code
     *       latencyMillis} are computed from the union of the instances' latency histograms,
     *       exactly as one instance computes its own (one instance alone gives its own values):
     *       exact at HdrHistogram's precision, never averaged;
     *   <li>{@code windowMillis} and {@code latencyWindowMillis} are the instances' windows, the
     *       largest where they differ; {@code time} is the newest;
     *   <li>{@code status}: null when no instance reports one, else its {@code circuit} is the most
     *       severe of the instances' ({@code FORCED_OPEN} &gt; {@code OPEN} &gt; {@code HALF_OPEN}
     *       &gt; {@code CLOSED} &gt; {@code DISABLED}), its {@code nextTrialInMillis} the smallest
     *       among the instances whose circuit is {@code OPEN}, and its {@code pool} every figure
     *       summed (null when no instance has a pool);
     *   <li>{@code hosts} is the number of instances that reported the name, and {@code circuits}
     *       the number of instances in each circuit state (an empty object when none has one).
     * </ul>
     *
     * @param peers absolute {@code http} or {@code https} URLs, without query or fragment
     * @return this builder
     * @throws IllegalArgumentException if a URL is not one, naming it, as {@code peers[1] must be
     *     an http or https URL, was 'ftp://x'}
     */
    public Builder cluster(URI... peers) {
      Objects.requireNonNull(peers, "peers must not be null");
      return cluster(Arrays.asList(peers));
    }

    /**
     * Sets the other instances whose metrics {@code /cluster.json} merges with this one's; see
     * {@link #cluster(URI...)}.
     *
     * @param peers absolute {@code http} or {@code https} URLs, without query or fragment
     * @return this builder
     * @throws IllegalArgumentException if a URL is not one, naming it
     */
    public Builder cluster(List<URI> peers) {
      Objects.requireNonNull(peers, "peers must not be null");
      List<URI> checked = new ArrayList<>(peers.size());
      for (int i = 0; i < peers.size(); i++) {
        URI peer = Objects.requireNonNull(peers.get(i), "peers[" + i + "] must not be null");
        String scheme = peer.getScheme() == null ? "" : peer.getScheme().toLowerCase(Locale.ROOT);
        // A relative URL has no scheme, and an opaque one no host.
        if (!(scheme.equals("http") || scheme.equals("https")) || peer.getHost() == null) {
          throw new IllegalArgumentException(
              "peers[" + i + "] must be an http or https URL, was '" + peer + "'");
        }
        if (peer.getRawQuery() != null || peer.getRawFragment() != null) {
          throw new IllegalArgumentException(
              "peers[" + i + "] must be a base URL without query or fragment, was '" + peer + "'");
        }
        checked.add(peer);
      }
      this.peers = List.copyOf(checked);
      return this;
    }

    /**
     * Binds the port and starts serving.
     *
     * @return the running server
     * @throws BindException if the port is in use, as {@code port 8080 is in use: stop what listens
     *     there, or pass another port (0 picks a free one)}
     * @throws IOException if the port cannot be bound for another reason
     */
    public MetricsServer start() throws IOException {
      MetricsServer s = new MetricsServer(this);
      s.server.start();
      return s;
    }
  }
}
