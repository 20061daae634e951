package io.dyno.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/aspect.md, README.md and the javadoc, compiled and run. Each snippet in the
 * guide appears here line for line, which dyno-examples' documentation test verifies.
 */
class AspectExamplesTest {

  /** An HTTP-like request: a path and headers. */
  record Request(String path, Map<String, String> headers) {
    Request(String path) {
      this(path, Map.of());
    }

    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name));
    }

    Request withHeader(String name, String value) {
      Map<String, String> copy = new LinkedHashMap<>(headers);
      copy.put(name, value);
      return new Request(path, Map.copyOf(copy));
    }

    Request withPath(String path) {
      return new Request(path, headers);
    }
  }

  /** An HTTP-like response: a status, headers and a body. */
  record Response(int status, Map<String, String> headers, String body) {
    static Response ok(String body) {
      return new Response(200, Map.of(), body);
    }

    static Response notModified(String etag) {
      return new Response(304, Map.of("ETag", etag), "");
    }

    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name));
    }

    Response withHeader(String name, String value) {
      Map<String, String> copy = new LinkedHashMap<>(headers);
      copy.put(name, value);
      return new Response(status, Map.copyOf(copy), body);
    }
  }

  private int renders;

  /** The sessions a chaos behaviour drops. */
  private final Map<String, String> sessions = new ConcurrentHashMap<>();

  /** The page renderer the filters wrap. */
  private Response render(Request request) {
    renders++;
    return Response.ok("<h1>" + request.path() + "</h1>");
  }

  /** A strong ETag: a quoted checksum of the body. */
  private static String etag(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return '"' + HexFormat.of().toHexDigits((int) crc.getValue()) + '"';
  }

  @Test
  void readme() {
    Aspect<String, String> greet = Aspect.of("greet", name -> "Hello, " + name);
    greet.before(String::strip);
    Registration shout = greet.after((name, greeting) -> greeting + "!");
    String loud = greet.apply("  Ada "); // "Hello, Ada!"
    shout.remove(); // from now on: "Hello, Ada"

    assertThat(loud).isEqualTo("Hello, Ada!");
    assertThat(greet.apply("  Ada ")).isEqualTo("Hello, Ada");
  }

  @Test
  void javadoc() {
    Aspects board = Aspects.create();
    Function<String, Integer> length = board.advertise("length", String::length);
    // elsewhere
    Aspect<String, Integer> aspect = board.aspect("length");
    aspect.before(String::strip);

    assertThat(length.apply(" ab ")).isEqualTo(2);
  }

  @Test
  void quickStart() {
    Aspect<Request, Response> page = Aspect.of("page", this::render);
    page.before(req -> req.withPath(req.path().toLowerCase(Locale.ROOT)));
    Registration timing =
        page.around(
            (req, next) -> {
              long start = System.nanoTime();
              Response resp = next.apply(req);
              return resp.withHeader("Server-Timing", "render;dur=" + (System.nanoTime() - start));
            });
    Response r = page.apply(new Request("/Home"));
    timing.remove(); // calls that start from now on are not timed

    assertThat(r.body()).isEqualTo("<h1>/home</h1>");
    assertThat(r.header("Server-Timing")).isPresent();
    assertThat(page.apply(new Request("/Home")).header("Server-Timing")).isEmpty();
  }

  @Test
  void etagAndIfNoneMatch() {
    Aspect<Request, Response> page = Aspect.of("page", this::render);
    // ETag: a checksum of the body, on every response
    page.after((req, resp) -> resp.withHeader("ETag", etag(resp.body())));
    // If-None-Match: when the client's copy is current, send 304 and no body
    page.around(
        (req, next) -> {
          Response resp = next.apply(req);
          Optional<String> etag = resp.header("ETag");
          return etag.isPresent() && etag.equals(req.header("If-None-Match"))
              ? Response.notModified(etag.get())
              : resp;
        });

    Response first = page.apply(new Request("/home"));
    String tag = first.header("ETag").orElseThrow(); // "\"cefeaf48\""
    Response again = page.apply(new Request("/home").withHeader("If-None-Match", tag));
    // again: 304, ETag the same, no body

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("<h1>/home</h1>");
    assertThat(tag).isEqualTo(etag("<h1>/home</h1>")).isEqualTo("\"cefeaf48\"");
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.header("ETag")).contains(tag);
    assertThat(again.body()).isEmpty();
    Response stale = page.apply(new Request("/home").withHeader("If-None-Match", "\"old\""));
    assertThat(stale.status()).isEqualTo(200);
    assertThat(renders).isEqualTo(3);
  }

  @Test
  void advertise() {
    // where the page is defined
    Aspects board = Aspects.create();
    Function<Request, Response> page = board.advertise("page", this::render);

    // setup code elsewhere, which never saw render
    Aspect<Request, Response> aspect = board.aspect("page");
    aspect.after((req, resp) -> resp.withHeader("ETag", etag(resp.body())));

    assertThat(page.apply(new Request("/home")).header("ETag")).isPresent();
  }

  @Test
  void chaosJavadoc() {
    Aspect<String, String> page = Aspect.of("page", path -> "<h1>" + path + "</h1>");
    // one call in ten fails as a dropped connection would
    Registration drops =
        page.around(Chaos.fault(0.1, () -> new IOException("connection reset by chaos")));
    // ...
    drops.remove();

    assertThat(page.filterCount()).isZero();
    assertThat(page.apply("/home")).isEqualTo("<h1>/home</h1>");
  }

  @Test
  void chaosKinds() {
    Aspect<Request, Response> page = Aspect.of("page", this::render);
    // one call in ten fails as a dropped connection would: an IOException, checked as it is
    page.around(Chaos.fault(0.1, () -> new IOException("connection reset by chaos")));
    // one call in five takes 200 ms longer
    page.around(Chaos.latency(0.2, Duration.ofMillis(200)));
    // one call in a hundred answers 503 instead of the page
    page.around(Chaos.outcome(0.01, resp -> new Response(503, resp.headers(), "")));
    // every call first drops the sessions, as a restarted session store would
    page.around(Chaos.behaviour(1, () -> sessions.clear()));

    assertThat(page.filterCount()).isEqualTo(4);
    // The same kinds at rate 1, with a sleeper that does not wait, show what each does.
    Aspect<Request, Response> always = Aspect.of("always", this::render);
    Registration fault = always.around(Chaos.fault(1, () -> new IOException("reset")));
    assertThat(catchThrowable(() -> always.apply(new Request("/home"))))
        .isInstanceOf(IOException.class)
        .hasMessage("reset");
    fault.remove();
    always.around(Chaos.<Request, Response>latency(1, Duration.ofMillis(200)).sleeper(d -> {}));
    always.around(Chaos.outcome(1, resp -> new Response(503, resp.headers(), "")));
    sessions.put("ada", "cart=3");
    always.around(Chaos.behaviour(1, () -> sessions.clear()));
    Response r = always.apply(new Request("/home"));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.body()).isEmpty();
    assertThat(sessions).isEmpty();
    assertThat(renders).isEqualTo(1);
  }

  @Test
  void chaosOptions() {
    Aspect<Request, Response> page = Aspect.of("page", this::render);
    Chaos.Filter<Request, Response> slow =
        Chaos.<Request, Response>latency(0.3, Duration.ofMillis(200))
            .name("slow page")
            .random(new SplittableRandom(42)); // the same calls are slow on every run
    Registration slowness = page.around(slow);
    Response r = page.apply(new Request("/home"));
    long injected = slow.injected(); // calls it slowed down
    long passed = slow.passed(); // calls it let through untouched
    slowness.remove();

    assertThat(r.body()).isEqualTo("<h1>/home</h1>");
    assertThat(injected + passed).isEqualTo(1);
    assertThat(slow.name()).isEqualTo("slow page");
    assertThat(slow.toString()).startsWith("Chaos.Filter[name=slow page, kind=latency, rate=0.3");
  }

  @Test
  void chaosGameDay() throws Exception {
    // at startup: the payments client is advertised on the board
    Aspects board = Aspects.create();
    Function<Request, Response> payments = board.advertise("payments", this::render);
    ScheduledExecutorService scheduler = new ScheduledThreadPoolExecutor(1);
    AtomicBoolean chaosOn = new AtomicBoolean(true); // an admin endpoint can flip it

    // game day, from any thread: 200 ms more on every payment, for ten minutes
    Chaos.Filter<Request, Response> slowPayments =
        Chaos.<Request, Response>latency(1.0, Duration.ofMillis(200))
            .name("game day: slow payments")
            .enabled(chaosOn::get);
    Aspect<Request, Response> target = board.aspect("payments");
    Registration gameDay = target.around(slowPayments);
    ScheduledFuture<?> end = scheduler.schedule(gameDay::remove, 10, TimeUnit.MINUTES);

    // chaosOn.set(false) pauses it for the next call; gameDay.remove() ends it early

    try {
      // Paused: the call goes straight through.
      chaosOn.set(false);
      assertThat(payments.apply(new Request("/pay")).status()).isEqualTo(200);
      assertThat(slowPayments.passed()).isEqualTo(1);
      // On: the real sleeper sleeps; an interrupted caller stops at once instead of waiting.
      chaosOn.set(true);
      Thread.currentThread().interrupt();
      assertThat(catchThrowable(() -> payments.apply(new Request("/pay"))))
          .isInstanceOf(InterruptedException.class);
      assertThat(Thread.interrupted()).as("the flag, set again").isTrue();
      assertThat(slowPayments.injected()).isEqualTo(1);
      // Ten minutes later: run the scheduled removal now.
      assertThat(end.isDone()).isFalse();
      ((RunnableScheduledFuture<?>) end).run();
      assertThat(target.filterCount()).isZero();
      assertThat(payments.apply(new Request("/pay")).status()).isEqualTo(200);
      assertThat(slowPayments.injected()).isEqualTo(1);
      assertThat(renders).isEqualTo(2);
    } finally {
      scheduler.shutdownNow();
      assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
