package io.dyno.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A raw-socket client of {@code GET /stream} for tests: decodes the chunked body and hands back one
 * Server-Sent Events frame at a time. Every read gives up after 10 seconds, so a test never hangs.
 */
final class SseClient implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final StringBuilder pending = new StringBuilder();
  final int status;
  final Map<String, String> headers = new LinkedHashMap<>();
  private boolean ended;

  SseClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        "GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    in = socket.getInputStream();
    String statusLine = line();
    status = Integer.parseInt(statusLine.substring(9, 12));
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      headers.put(
          h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
  }

  /** Returns the next frame without its blank-line terminator, or null when the stream ended. */
  String nextFrame() throws IOException {
    while (true) {
      int end = pending.indexOf("\n\n");
      if (end >= 0) {
        String frame = pending.substring(0, end);
        pending.delete(0, end + 2);
        return frame;
      }
      if (ended || !readChunk()) {
        ended = true;
        return null;
      }
    }
  }

  /** Returns the JSON of the next {@code data:} frame, skipping comments; null at the end. */
  String nextData() throws IOException {
    for (String f = nextFrame(); f != null; f = nextFrame()) {
      if (f.startsWith("data: ")) {
        return f.substring("data: ".length());
      }
    }
    return null;
  }

  /** Reads frames until the stream ends, and reports whether it did (rather than time out). */
  boolean readsToEnd() {
    try {
      while (nextFrame() != null) {
        // drain
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the server: ended too
    }
  }

  /** Drops the connection at once, with a reset rather than an orderly close. */
  void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private boolean readChunk() throws IOException {
    String sizeLine = line();
    if (sizeLine == null) {
      return false;
    }
    int semicolon = sizeLine.indexOf(';');
    String hex = semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon);
    int size = Integer.parseInt(hex.trim(), 16);
    if (size == 0) {
      return false;
    }
    byte[] data = in.readNBytes(size);
    if (data.length < size) {
      return false;
    }
    line(); // the CRLF after the chunk
    pending.append(new String(data, StandardCharsets.UTF_8));
    return true;
  }

  /** One CRLF-terminated line, or null at the end of the input. */
  private String line() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String s = buf.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      buf.write(b);
    }
    return buf.size() == 0 ? null : buf.toString(StandardCharsets.US_ASCII);
  }
}
