package io.dyno.examples;

import io.dyno.cache.redis.RedisCache;
import org.jspecify.annotations.Nullable;

/**
 * The demo's command-line options.
 *
 * @param seconds how long the shop runs before the summary, 1 to 86400
 * @param serve whether to keep serving the dashboard after the summary, until the process ends
 * @param port the dashboard's TCP port, 0 for any free one
 * @param seed the seed of every random choice of the simulation
 * @param instances how many shops run side by side, 1 to 4, each with its own dashboard; 2 to 4
 *     when they share prices through Redis
 * @param chaos whether the incidents install their chaos filters; off, the shop runs clean
 * @param redis the URI of the Redis server the shops share their prices through, {@code
 *     redis://host:port[/db]}, or null for prices cached by each shop in its own memory
 */
record Options(
    int seconds,
    boolean serve,
    int port,
    long seed,
    int instances,
    boolean chaos,
    @Nullable String redis) {

  /** The options of shops that each cache prices in their own memory, without Redis. */
  Options(int seconds, boolean serve, int port, long seed, int instances, boolean chaos) {
    this(seconds, serve, port, seed, instances, chaos, null);
  }

  /** What the demo prints after a bad option, and for {@code --help}. */
  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: ./demo [--seconds N] [--serve] [--port P] [--seed S] [--instances K]"
              + " [--chaos on|off] [--redis URL]",
          "  --seconds N     how long the shop runs before the summary, 1 to 86400 (default 30)",
          "  --serve         after the summary, keep serving the dashboard until Ctrl-C",
          "  --port P        the dashboard's port, 0 to 65535; 0 takes any free one (default 8080)",
          "  --seed S        the seed of every random choice (default 42)",
          "  --instances K   run K shops side by side, 1 to 4, each with a dashboard; the first"
              + " shows them merged (default 1; 2 with --redis)",
          "  --chaos on|off  install the incidents' chaos filters on the dependencies, or run the"
              + " shop clean (default on)",
          "  --redis URL     the shops share their prices through the Redis at URL,"
              + " redis://host:port[/db], 2 to 4 of them (default: each caches its own)",
          "Or through Maven (mvnw.cmd on Windows):"
              + " ./mvnw -q -pl dyno-examples -am compile exec:java -Dexec.args=\"--seconds 60\"");

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException naming the option, and the value if it has one, when an option
   *     is unknown, lacks its value or has a value that is not a whole number in its range, for
   *     {@code --chaos}, not {@code on} or {@code off}, for {@code --redis}, not a Redis URI, and
   *     naming both when {@code --redis} comes with {@code --instances 1}
   */
  static Options parse(String... args) {
    int seconds = 30;
    boolean serve = false;
    int port = 8080;
    long seed = 42;
    int instances = 1;
    boolean chaos = true;
    String redis = null;
    boolean instancesGiven = false;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--serve")) {
        serve = true;
        continue;
      }
      if (!option.equals("--seconds")
          && !option.equals("--port")
          && !option.equals("--seed")
          && !option.equals("--instances")
          && !option.equals("--chaos")
          && !option.equals("--redis")) {
        throw new IllegalArgumentException("unknown option '" + option + "'");
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--seconds" -> seconds = (int) number(option, value, 1, 86_400);
        case "--port" -> port = (int) number(option, value, 0, 65_535);
        case "--instances" -> {
          instances = (int) number(option, value, 1, 4);
          instancesGiven = true;
        }
        case "--chaos" -> chaos = onOff(option, value);
        case "--redis" -> redis = redisUri(option, value);
        default -> seed = number(option, value, Long.MIN_VALUE, Long.MAX_VALUE);
      }
    }
    if (redis == null) {
      return new Options(seconds, serve, port, seed, instances, chaos);
    }
    if (!instancesGiven) {
      instances = 2;
    } else if (instances < 2) {
      throw new IllegalArgumentException(
          "--redis shares prices between instances: --instances must be in [2, 4] with it, was "
              + instances);
    }
    return new Options(seconds, serve, port, seed, instances, chaos, redis);
  }

  /** Checks a Redis URI as the shops' caches will read it, for the same message. */
  private static String redisUri(String option, String value) {
    try {
      RedisCache.builder("prices").redis(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
    return value;
  }

  private static boolean onOff(String option, String value) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default ->
          throw new IllegalArgumentException(option + " must be on or off, was '" + value + "'");
    };
  }

  private static long number(String option, String value, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " must be a whole number, was '" + value + "'", e);
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(
          option + " must be in [" + min + ", " + max + "], was " + parsed);
    }
    return parsed;
  }
}
