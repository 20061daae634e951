package io.dyno.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Stands in for a content delivery network a page loads a script from, on this machine: one file at
 * one path, over HTTP and over HTTPS (a browser that knows the host from its HSTS preload list asks
 * for https whatever the page says). The HTTPS side presents a self-signed certificate that {@code
 * keytool} makes for the host at start; {@link #chromiumArgs()} makes Chromium resolve the host
 * here and accept that certificate, and nothing else. Both servers listen on loopback ports the
 * system picks.
 */
final class LocalCdn implements AutoCloseable {

  private static final String PASSWORD = "dyno-test";
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  private final String host;
  private final HttpServer http;
  private final HttpsServer https;
  private final String spkiHash;
  private final List<String> served = new CopyOnWriteArrayList<>();

  private LocalCdn(String host, HttpServer http, HttpsServer https, String spkiHash) {
    this.host = host;
    this.http = http;
    this.https = https;
    this.spkiHash = spkiHash;
  }

  /**
   * Starts serving {@code body} at {@code path} for {@code host}, keeping the key store it makes in
   * {@code workDir}.
   */
  static LocalCdn start(String host, String path, byte[] body, String contentType, Path workDir)
      throws IOException, GeneralSecurityException, InterruptedException {
    Path keyStoreFile = workDir.resolve("cdn.p12");
    keytool(host, keyStoreFile);
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStoreFile)) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    Certificate certificate = keyStore.getCertificate("cdn");
    String spki =
        Base64.getEncoder()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(certificate.getPublicKey().getEncoded()));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);

    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    HttpServer http = HttpServer.create(loopback, 0);
    HttpsServer https;
    try {
      https = HttpsServer.create(loopback, 0);
    } catch (IOException e) {
      http.stop(0);
      throw e;
    }
    https.setHttpsConfigurator(new HttpsConfigurator(tls));
    LocalCdn cdn = new LocalCdn(host, http, https, spki);
    http.createContext("/", exchange -> cdn.serve(exchange, "http", path, body, contentType));
    https.createContext("/", exchange -> cdn.serve(exchange, "https", path, body, contentType));
    http.start();
    https.start();
    return cdn;
  }

  /** Makes a self-signed EC key pair and certificate for {@code host} in a PKCS12 key store. */
  private static void keytool(String host, Path keyStoreFile)
      throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                // A short-lived JVM: start it quickly.
                "-J-XX:TieredStopAtLevel=1",
                "-J-XX:+UseSerialGC",
                "-genkeypair",
                "-alias",
                "cdn",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-sigalg",
                "SHA256withECDSA",
                "-dname",
                "CN=" + host,
                "-ext",
                "SAN=dns:" + host,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStoreFile.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          keytool + " did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s: " + output);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(keytool + " exited with " + p.exitValue() + ": " + output);
    }
  }

  private void serve(
      HttpExchange exchange, String scheme, String path, byte[] body, String contentType)
      throws IOException {
    try (exchange) {
      String asked = exchange.getRequestURI().getPath();
      served.add(scheme + " " + exchange.getRequestMethod() + " " + asked);
      if (!asked.equals(path)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /**
   * Returns the Chromium arguments that send the host's http and https requests here and accept
   * this server's certificate (and no other that fails to validate).
   */
  List<String> chromiumArgs() {
    return List.of(
        "--host-resolver-rules=MAP "
            + host
            + ":80 127.0.0.1:"
            + http.getAddress().getPort()
            + ", MAP "
            + host
            + ":443 127.0.0.1:"
            + https.getAddress().getPort(),
        "--ignore-certificate-errors-spki-list=" + spkiHash);
  }

  /** Returns the requests served so far, as {@code "https GET /path"}, oldest first. */
  List<String> served() {
    return List.copyOf(served);
  }

  /** Stops both servers at once. */
  @Override
  public void close() {
    http.stop(0);
    https.stop(0);
  }
}
