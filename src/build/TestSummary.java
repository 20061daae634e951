import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sums up the test runs of one build from surefire's XML reports, so that a passing build ends with
 * one short table instead of a line per test class.
 *
 * <pre>java src/build/TestSummary.java ROOT START --module DIR
 * java src/build/TestSummary.java ROOT START --table-after DIR</pre>
 *
 * <p>{@code ROOT} is the directory of the parent pom, {@code START} the instant the build began
 * (ISO-8601, as {@code maven.build.timestamp} gives it). Only reports written since {@code START}
 * count: a module left out of this build keeps its old reports, which are not this build's.
 *
 * <p>{@code --module DIR} prints one line for the module in {@code DIR}, after its tests. {@code
 * --table-after DIR} does nothing unless {@code DIR} is the last module of the parent pom, whose
 * build ends the whole build: then it prints a line for every module of the parent pom that ran
 * tests in this build, in the build's order, and the total, {@code total: Tests run: N, Failures: N,
 * Errors: N, Skipped: N}. Nothing is printed where no test ran. Runs on the JDK alone.
 */
public final class TestSummary {

  private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");

  private static final Pattern SUITE = Pattern.compile("<testsuite\\b([^>]*)>");

  private static final Pattern CASE =
      Pattern.compile("<testcase\\b[^>]*?(?:/>|>(.*?)</testcase>)", Pattern.DOTALL);

  private static final Pattern FAILURE = Pattern.compile("<failure[\\s/>]");

  private static final Pattern ERROR = Pattern.compile("<error[\\s/>]");

  private static final Pattern SKIPPED = Pattern.compile("<skipped[\\s/>]");

  private static final Pattern TIME = Pattern.compile("\\btime=\"([0-9.,]+)\"");

  /** The tests of one module in this build. */
  private record Counts(int tests, int failures, int errors, int skipped, double seconds) {

    static final Counts NONE = new Counts(0, 0, 0, 0, 0);

    Counts plus(Counts o) {
      return new Counts(
          tests + o.tests,
          failures + o.failures,
          errors + o.errors,
          skipped + o.skipped,
          seconds + o.seconds);
    }

    int failed() {
      return failures + errors;
    }

      String line() {
      // Surefire's own wording, so that whatever reads a build's console for its test counts
      // finds them here too.
      return String.format(
          Locale.ROOT,
          "Tests run: %d, Failures: %d, Errors: %d, Skipped: %d",
          tests,
          failures,
          errors,
          skipped);
    }
  }

  private TestSummary() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4 || !(args[2].equals("--module") || args[2].equals("--table-after"))) {
      System.err.println("usage: TestSummary ROOT START (--module | --table-after) DIR");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    Instant start;
    try {
      start = Instant.parse(args[1]);
    } catch (DateTimeParseException e) {
      System.err.println("START must be an ISO-8601 instant, was " + args[1]);
      System.exit(2);
      return;
    }
    Path dir = Path.of(args[3]);
    if (args[2].equals("--module")) {
      Counts counts = read(dir, start);
      if (counts.tests() > 0) {
        System.out.println(dir.getFileName() + ": " + counts.line());
      }
      return;
    }
    List<String> modules = new ArrayList<>();
    Matcher m = MODULE.matcher(Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8));
    while (m.find()) {
      modules.add(m.group(1));
    }
    if (modules.isEmpty() || !isSameFile(root.resolve(modules.get(modules.size() - 1)), dir)) {
      return;
    }
    List<String> names = new ArrayList<>();
    List<Counts> rows = new ArrayList<>();
    for (String module : modules) {
      Counts counts = read(root.resolve(module), start);
      if (counts.tests() > 0) {
        names.add(module);
        rows.add(counts);
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    int width = names.stream().mapToInt(String::length).max().orElse(0);
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%nTests of this build (each module's log: target/test.log"
                + " and target/surefire-reports/)%n"));
    Counts total = Counts.NONE;
    for (int i = 0; i < rows.size(); i++) {
      Counts c = rows.get(i);
      out.append(
          String.format(
              Locale.ROOT,
              "  %-" + width + "s %6d tests %4d failed %4d skipped %7.1f s%n",
              names.get(i),
              c.tests(),
              c.failed(),
              c.skipped(),
              c.seconds()));
      total = total.plus(c);
    }
    out.append("total: ").append(total.line()).append(System.lineSeparator());
    System.out.print(out);
  }

  private static boolean isSameFile(Path a, Path b) throws IOException {
    return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
  }

  /** The counts of the reports in {@code module}'s surefire directory written since start. */
  private static Counts read(Path module, Instant start) throws IOException {
    Path reports = module.resolve("target").resolve("surefire-reports");
    if (!Files.isDirectory(reports)) {
      return Counts.NONE;
    }
    Counts sum = Counts.NONE;
    try (Stream<Path> files = Files.list(reports)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (!name.startsWith("TEST-")
            || !name.endsWith(".xml")
            || Files.getLastModifiedTime(file).toInstant().isBefore(start)) {
          continue;
        }
        sum = sum.plus(suite(Files.readString(file, StandardCharsets.UTF_8)));
      }
    }
    return sum;
  }

  /**
   * The counts of a report's test cases, one per {@code testcase} element, as surefire counts them
   * on the console (a suite's {@code tests} attribute can leave some out), and its time.
   */
  private static Counts suite(String xml) {
    int tests = 0;
    int failures = 0;
    int errors = 0;
    int skipped = 0;
    Matcher c = CASE.matcher(xml);
    while (c.find()) {
      tests++;
      String body = c.group(1) == null ? "" : c.group(1);
      if (FAILURE.matcher(body).find()) {
        failures++;
      } else if (ERROR.matcher(body).find()) {
        errors++;
      } else if (SKIPPED.matcher(body).find()) {
        skipped++;
      }
    }
    Matcher m = SUITE.matcher(xml);
    Matcher time = TIME.matcher(m.find() ? m.group(1) : "");
    double seconds = time.find() ? Double.parseDouble(time.group(1).replace(",", "")) : 0;
    return new Counts(tests, failures, errors, skipped, seconds);
  }
}
