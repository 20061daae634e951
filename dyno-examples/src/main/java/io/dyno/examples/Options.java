package io.dyno.examples;

/**
 * The demo's command-line options.
 *
 * @param seconds how long the shop runs before the summary, 1 to 86400
 * @param serve whether to keep serving the dashboard after the summary, until the process ends
 * @param port the dashboard's TCP port, 0 for any free one
 * @param seed the seed of every random choice of the simulation
 */
record Options(int seconds, boolean serve, int port, long seed) {

  static final String USAGE =
      "usage: Demo [--seconds N (1..86400, default 30)] [--serve]"
          + " [--port P (0..65535, default 8080; 0 = any free port)] [--seed S (default 42)]";

  /** Parses {@code args}; an unknown option or a bad value fails naming it, with the usage. */
  static Options parse(String... args) {
    int seconds = 30;
    boolean serve = false;
    int port = 8080;
    long seed = 42;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--serve")) {
        serve = true;
        continue;
      }
      if (!option.equals("--seconds") && !option.equals("--port") && !option.equals("--seed")) {
        throw new IllegalArgumentException("unknown option '" + option + "'; " + USAGE);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(option + " needs a value; " + USAGE);
      }
      String value = args[++i];
      switch (option) {
        case "--seconds" -> seconds = (int) number(option, value, 1, 86_400);
        case "--port" -> port = (int) number(option, value, 0, 65_535);
        default -> seed = number(option, value, Long.MIN_VALUE, Long.MAX_VALUE);
      }
    }
    return new Options(seconds, serve, port, seed);
  }

  private static long number(String option, String value, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " must be a number, was '" + value + "'; " + USAGE, e);
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(
          option + " must be in [" + min + ", " + max + "], was " + parsed + "; " + USAGE);
    }
    return parsed;
  }
}
