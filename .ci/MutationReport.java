import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Summarises the PIT reports of the modules named on the command line: one Markdown table row per
 * module (the table of docs/quality.md), then each module's surviving mutants by kind and by place.
 * Exits with status 1, naming the module, when a module's test strength is below its floor (the
 * {@code dyno.pit.strength} property of its pom or the parent's) or when any mutant could not be
 * tested at all (RUN_ERROR, which PIT itself counts as detected), or when a module has no report.
 *
 * <pre>java .ci/MutationReport.java [--table] dyno-utils dyno-retry ...</pre>
 *
 * With {@code --table}, only the table.
 *
 * Reads {@code MODULE/target/pit-reports/mutations.xml}; runs on the JDK alone.
 */
public final class MutationReport {

  private static final Pattern MUTATION =
      Pattern.compile("<mutation [^>]*status='([A-Z_]+)'[^>]*>(.*?)</mutation>", Pattern.DOTALL);

  private record Survivor(String place, String mutator, String description) {}

  public static void main(String[] args) throws IOException {
    boolean tableOnly = args.length > 0 && args[0].equals("--table");
    List<String> modules = List.of(args).subList(tableOnly ? 1 : 0, args.length);
    if (modules.isEmpty()) {
      System.err.println("usage: java .ci/MutationReport.java [--table] MODULE...");
      System.exit(2);
    }
    StringBuilder table = new StringBuilder();
    StringBuilder survivors = new StringBuilder();
    List<String> failures = new ArrayList<>();
    table.append(
        "| module | mutants | killed | timed out | survived | no coverage | run errors | score"
            + " | strength | floor |\n");
    table.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String module : modules) {
      Path report = Path.of(module, "target", "pit-reports", "mutations.xml");
      String xml = Files.isRegularFile(report) ? Files.readString(report) : "";
      if (!MUTATION.matcher(xml).find()) {
        // No run, a run cut short, or a module PIT skipped because one it depends on failed.
        table.append(String.format("| %s | no report | | | | | | | | %d %% |%n", module, floor(module)));
        failures.add(module + ": no mutants in " + report + " (run PIT on " + module + ")");
        continue;
      }
      summarise(module, xml, floor(module), table, survivors, failures);
    }
    System.out.print(table);
    if (!tableOnly) {
      System.out.print(survivors);
    }
    if (!failures.isEmpty()) {
      System.out.println();
      failures.forEach(f -> System.out.println("FAILED " + f));
      System.exit(1);
    }
  }

  private static void summarise(
      String module,
      String xml,
      int floor,
      StringBuilder table,
      StringBuilder survivors,
      List<String> failures) {
    Map<String, Integer> byStatus = new TreeMap<>();
    Map<String, Integer> survivedByKind = new TreeMap<>();
    List<Survivor> survived = new ArrayList<>();
    Matcher m = MUTATION.matcher(xml);
    while (m.find()) {
      String status = m.group(1);
      String body = m.group(2);
      byStatus.merge(status, 1, Integer::sum);
      if (status.equals("SURVIVED")) {
        String mutator = simpleName(tag(body, "mutator"));
        survivedByKind.merge(mutator, 1, Integer::sum);
        String place =
            simpleName(tag(body, "mutatedClass"))
                + "."
                + tag(body, "mutatedMethod")
                + ":"
                + tag(body, "lineNumber");
        survived.add(new Survivor(place, mutator, tag(body, "description")));
      }
    }
    int total = byStatus.values().stream().mapToInt(Integer::intValue).sum();
    int killed = byStatus.getOrDefault("KILLED", 0);
    int timedOut = byStatus.getOrDefault("TIMED_OUT", 0);
    // A mutant whose tests could not run (RUN_ERROR) was not detected by anything: PIT counts it as
    // detected, this report does not, and a run that has any is no measurement.
    int runErrors = byStatus.getOrDefault("RUN_ERROR", 0);
    int detected = killed + timedOut + byStatus.getOrDefault("MEMORY_ERROR", 0);
    int noCoverage = byStatus.getOrDefault("NO_COVERAGE", 0);
    table.append(
        String.format(
            "| %s | %d | %d | %d | %d | %d | %d | %s | %s | %d %% |%n",
            module,
            total,
            killed,
            timedOut,
            byStatus.getOrDefault("SURVIVED", 0),
            noCoverage,
            runErrors,
            percent(detected, total),
            percent(detected, total - noCoverage),
            floor));
    int covered = total - noCoverage;
    if (runErrors > 0) {
      failures.add(module + ": " + runErrors + " mutants could not be tested (RUN_ERROR)");
    } else if (covered > 0 && 100L * detected < (long) floor * covered) {
      failures.add(
          module + ": test strength " + percent(detected, covered) + " is below its floor of "
              + floor + " %");
    }
    survivors.append(String.format("%n%s survivors by kind: %s%n", module, survivedByKind));
    for (Survivor s : survived) {
      survivors.append(String.format("  %s  %s  (%s)%n", s.place(), s.mutator(), s.description()));
    }
  }

  private static final Pattern FLOOR =
      Pattern.compile("<dyno\\.pit\\.strength>(\\d+)</dyno\\.pit\\.strength>");

  /** The module's floor of test strength: its pom's dyno.pit.strength, else the parent's. */
  private static int floor(String module) throws IOException {
    for (Path pom : List.of(Path.of(module, "pom.xml"), Path.of("pom.xml"))) {
      Matcher m = FLOOR.matcher(Files.readString(pom));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new IllegalStateException("no dyno.pit.strength in " + module + "/pom.xml or pom.xml");
  }

  private static String percent(int part, int whole) {
    return whole == 0 ? "n/a" : String.format("%.1f %%", 100.0 * part / whole);
  }

  private static String tag(String body, String name) {
    int start = body.indexOf("<" + name + ">");
    int end = body.indexOf("</" + name + ">");
    if (start < 0 || end < start) {
      return "?";
    }
    return body.substring(start + name.length() + 2, end).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
  }

  private static String simpleName(String qualified) {
    return qualified.substring(qualified.lastIndexOf('.') + 1);
  }
}
