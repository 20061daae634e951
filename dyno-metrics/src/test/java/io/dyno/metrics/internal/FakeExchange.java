package io.dyno.metrics.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/** An exchange whose response body is {@code body} and that counts its closes. */
final class FakeExchange extends HttpExchange {
  final OutputStream body;
  final AtomicInteger closes = new AtomicInteger();

  FakeExchange(OutputStream body) {
    this.body = body;
  }

  @Override
  public OutputStream getResponseBody() {
    return body;
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }

  @Override
  public Headers getRequestHeaders() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Headers getResponseHeaders() {
    throw new UnsupportedOperationException();
  }

  @Override
  public URI getRequestURI() {
    throw new UnsupportedOperationException();
  }

  @Override
  public String getRequestMethod() {
    return "GET";
  }

  @Override
  public HttpContext getHttpContext() {
    throw new UnsupportedOperationException();
  }

  @Override
  public InputStream getRequestBody() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void sendResponseHeaders(int rCode, long responseLength) {
    throw new UnsupportedOperationException();
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    throw new UnsupportedOperationException();
  }

  @Override
  public int getResponseCode() {
    return 200;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    throw new UnsupportedOperationException();
  }

  @Override
  public String getProtocol() {
    return "HTTP/1.1";
  }

  @Override
  public Object getAttribute(String name) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void setAttribute(String name, Object value) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    throw new UnsupportedOperationException();
  }

  @Override
  public HttpPrincipal getPrincipal() {
    throw new UnsupportedOperationException();
  }
}
