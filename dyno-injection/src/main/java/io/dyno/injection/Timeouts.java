package io.dyno.injection;

import java.time.Duration;

/** Construction timeouts for dependencies by how far away they live. */
public final class Timeouts {

  /** A dependency on the same host: 50 ms. */
  public static final Duration LOCALHOST = Duration.ofMillis(50);

  /** A dependency on the local network: 50 ms. */
  public static final Duration LAN = Duration.ofMillis(50);

  /** A dependency in the same data centre: 200 ms. */
  public static final Duration DC = Duration.ofMillis(200);

  /** A dependency across the internet: 3 s. */
  public static final Duration INTERNET = Duration.ofSeconds(3);

  private Timeouts() {}
}
