package io.dyno.aspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
}
