package io.dyno.micrometer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What is written to {@code System.err}, where slf4j-simple, the tests' binding, logs. */
final class StandardError {

  /** Work that may throw. */
  interface Work {
    void run() throws Exception;
  }

  private StandardError() {}

  /**
   * Runs {@code work} with {@code System.err} captured, and returns what was written to it.
   *
   * @param work the work
   * @return the text written to standard error meanwhile, from any thread
   * @throws Exception what {@code work} throws
   */
  static String during(Work work) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      work.run();
    } finally {
      System.setErr(original);
    }
    return err.toString(StandardCharsets.UTF_8);
  }
}
