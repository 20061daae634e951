// What the Java snippets of docs/aspect.md leave out: the imports they need, and stand-ins for the
// names that belong to your own code (requests, responses, the page renderer, an ETag function,
// the sessions a chaos behaviour drops).
// Each snippet compiles as the body of a method of a class that extends YourCode.

import io.dyno.aspect.*;
import java.io.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.function.*;

abstract class YourCode {
  final Map<String, String> sessions = new ConcurrentHashMap<>();

  abstract Response render(Request request);

  static String etag(String body) {
    return '"' + Integer.toHexString(body.hashCode()) + '"';
  }
}

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

record Response(int status, Map<String, String> headers, String body) {
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
