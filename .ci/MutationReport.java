import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Summarises the PIT reports of the modules named on the command line: one Markdown table row per
 * module (the table of docs/quality.md), then each module's surviving mutants by kind and by place.
 * Exits with status 1, naming the module, when a module's test strength is below its floor (the
 * {@code dyno.pit.strength} property of its pom or the parent's) or when any mutant could not be
 * tested at all (RUN_ERROR, which PIT itself counts as detected), or when a module has no report.
 *
 * <pre>java .ci/MutationReport.java [--table] [--cached] [--record] dyno-utils dyno-retry ...
 * java .ci/MutationReport.java --stale dyno-utils dyno-retry ...</pre>
 *
 * With {@code --table}, only the table.
 *
 * <p>Reads {@code MODULE/target/pit-reports/mutations.xml}; runs on the JDK alone.
 *
 * <p>The record, {@code .ci/mutation-record.tsv}, keeps each module's counts from its last run
 * together with a digest of everything that run depended on: the module's files, those of the Dyno
 * modules its pom names (dyno-testing, and dyno-service's siblings), the parent pom, {@code
 * .mvn/} and the shared sources {@code src/shared/}, every build directory ({@code target}) left
 * out. A module whose digest is unchanged would give the same mutants the same tests, so its
 * recorded counts still hold. {@code --stale} prints the modules whose digest differs from the record (or that have none), one per line;
 * {@code --cached} takes the other modules' counts from the record instead of their reports, and
 * {@code --record} writes the counts read from reports into the record, with their digests (a
 * report older than any of its module's input files is refused: it was made from other inputs).
 */
public final class MutationReport {

  private static final Pattern MUTATION =
      Pattern.compile("<mutation [^>]*status='([A-Z_]+)'[^>]*>(.*?)</mutation>", Pattern.DOTALL);

  private static final Path RECORD = Path.of(".ci", "mutation-record.tsv");

  private record Survivor(String place, String mutator, String description) {}

  /** One module's counts, as recorded or as read from its report. */
  private record Counts(
      int total, int killed, int timedOut, int survived, int noCoverage, int runErrors) {

    static Counts parse(String[] f) {
      return new Counts(
          Integer.parseInt(f[2]),
          Integer.parseInt(f[3]),
          Integer.parseInt(f[4]),
          Integer.parseInt(f[5]),
          Integer.parseInt(f[6]),
          Integer.parseInt(f[7]));
    }

    String fields() {
      return total + "\t" + killed + "\t" + timedOut + "\t" + survived + "\t" + noCoverage + "\t"
          + runErrors;
    }
  }

  /** A module's recorded run: the digest of its inputs then, and its counts. */
  private record Recorded(String digest, Counts counts) {}

  /** What a module's run depends on: a digest of its input files, and the newest one's time. */
  private record Inputs(String digest, long lastModified) {}

  public static void main(String[] args) throws IOException {
    Set<String> flags = new TreeSet<>();
    List<String> modules = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--")) {
        flags.add(arg);
      } else {
        modules.add(arg);
      }
    }
    Set<String> known = Set.of("--table", "--cached", "--record", "--stale");
    if (modules.isEmpty() || !known.containsAll(flags)) {
      System.err.println(
          "usage: java .ci/MutationReport.java [--table] [--cached] [--record] MODULE...\n"
              + "       java .ci/MutationReport.java --stale MODULE...");
      System.exit(2);
    }
    Map<String, Recorded> record = readRecord();
    if (flags.contains("--stale")) {
      for (String module : modules) {
        Recorded recorded = record.get(module);
        if (recorded == null || !recorded.digest().equals(inputs(module).digest())) {
          System.out.println(module);
        }
      }
      return;
    }
    boolean tableOnly = flags.contains("--table");
    boolean cached = flags.contains("--cached");
    StringBuilder table = new StringBuilder();
    StringBuilder survivors = new StringBuilder();
    List<String> failures = new ArrayList<>();
    table.append(
        "| module | mutants | killed | timed out | survived | no coverage | run errors | score"
            + " | strength | floor |\n");
    table.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<String> fromRecord = new ArrayList<>();
    for (String module : modules) {
      Inputs inputs = inputs(module);
      Recorded recorded = record.get(module);
      if (cached && recorded != null && recorded.digest().equals(inputs.digest())) {
        fromRecord.add(module);
        check(module, recorded.counts(), floor(module), table, failures);
        continue;
      }
      Path report = Path.of(module, "target", "pit-reports", "mutations.xml");
      String xml = Files.isRegularFile(report) ? Files.readString(report) : "";
      if (!MUTATION.matcher(xml).find()) {
        // No run, a run cut short, or a module PIT skipped because one it depends on failed.
        table.append(String.format("| %s | no report | | | | | | | | %d %% |%n", module, floor(module)));
        failures.add(module + ": no mutants in " + report + " (run PIT on " + module + ")");
        continue;
      }
      Counts counts = summarise(module, xml, floor(module), table, survivors, failures);
      // A report older than an input was not made from these inputs: it is shown, never recorded.
      if (Files.getLastModifiedTime(report).toMillis() >= inputs.lastModified()) {
        record.put(module, new Recorded(inputs.digest(), counts));
      } else if (flags.contains("--record")) {
        failures.add(module + ": " + report + " is older than the module's files (run PIT again)");
      }
    }
    System.out.print(table);
    if (!fromRecord.isEmpty()) {
      System.out.println(
          "\nFrom " + RECORD + ", their inputs unchanged since that run: " + fromRecord);
    }
    if (flags.contains("--record")) {
      writeRecord(record);
    }
    if (!tableOnly) {
      System.out.print(survivors);
    }
    if (!failures.isEmpty()) {
      System.out.println();
      failures.forEach(f -> System.out.println("FAILED " + f));
      System.exit(1);
    }
  }

  private static Counts summarise(
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
    // A memory error ends the mutant's run as surely as a timeout: counted with the timeouts.
    Counts counts =
        new Counts(
            byStatus.values().stream().mapToInt(Integer::intValue).sum(),
            byStatus.getOrDefault("KILLED", 0),
            byStatus.getOrDefault("TIMED_OUT", 0) + byStatus.getOrDefault("MEMORY_ERROR", 0),
            byStatus.getOrDefault("SURVIVED", 0),
            byStatus.getOrDefault("NO_COVERAGE", 0),
            byStatus.getOrDefault("RUN_ERROR", 0));
    check(module, counts, floor, table, failures);
    survivors.append(String.format("%n%s survivors by kind: %s%n", module, survivedByKind));
    for (Survivor s : survived) {
      survivors.append(String.format("  %s  %s  (%s)%n", s.place(), s.mutator(), s.description()));
    }
    return counts;
  }

  /** Adds the module's table row, and a failure when it is below its floor or has run errors. */
  private static void check(
      String module, Counts c, int floor, StringBuilder table, List<String> failures) {
    // A mutant whose tests could not run (RUN_ERROR) was not detected by anything: PIT counts it as
    // detected, this report does not, and a run that has any is no measurement.
    int detected = c.killed() + c.timedOut();
    int covered = c.total() - c.noCoverage();
    table.append(
        String.format(
            "| %s | %d | %d | %d | %d | %d | %d | %s | %s | %d %% |%n",
            module,
            c.total(),
            c.killed(),
            c.timedOut(),
            c.survived(),
            c.noCoverage(),
            c.runErrors(),
            percent(detected, c.total()),
            percent(detected, covered),
            floor));
    if (c.runErrors() > 0) {
      failures.add(module + ": " + c.runErrors() + " mutants could not be tested (RUN_ERROR)");
    } else if (covered > 0 && 100L * detected < (long) floor * covered) {
      failures.add(
          module + ": test strength " + percent(detected, covered) + " is below its floor of "
              + floor + " %");
    }
  }

  /** The record's rows by module: module, digest, then the counts of {@link Counts}. */
  private static Map<String, Recorded> readRecord() throws IOException {
    Map<String, Recorded> rows = new TreeMap<>();
    if (Files.isRegularFile(RECORD)) {
      for (String line : Files.readAllLines(RECORD)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] f = line.split("\t");
          if (f.length != 8) {
            throw new IllegalStateException(RECORD + ": expected 8 fields, got: " + line);
          }
          rows.put(f[0], new Recorded(f[1], Counts.parse(f)));
        }
      }
    }
    return rows;
  }

  private static void writeRecord(Map<String, Recorded> rows) throws IOException {
    StringBuilder out = new StringBuilder();
    out.append("# Each module's last PIT run, written by .ci/MutationReport.java --record: module,\n");
    out.append("# digest of its inputs, mutants, killed, timed out, survived, no coverage, run errors.\n");
    rows.forEach(
        (module, r) ->
            out.append(module + "\t" + r.digest() + "\t" + r.counts().fields()).append('\n'));
    Files.writeString(RECORD, out);
  }

  private static final Pattern DYNO_DEPENDENCY =
      Pattern.compile("<artifactId>(dyno-[a-z]+)</artifactId>");

  /**
   * A digest of what a module's mutation run depends on: its own files, the Dyno modules its pom
   * names, the parent pom, {@code .mvn/} and the shared sources, without build directories.
   */
  static Inputs inputs(String module) throws IOException {
    Set<Path> roots = new TreeSet<>();
    roots.add(Path.of(module));
    Matcher m = DYNO_DEPENDENCY.matcher(Files.readString(Path.of(module, "pom.xml")));
    while (m.find()) {
      if (Files.isDirectory(Path.of(m.group(1)))) {
        roots.add(Path.of(m.group(1)));
      }
    }
    roots.add(Path.of("pom.xml"));
    roots.add(Path.of(".mvn"));
    roots.add(Path.of("src", "shared"));
    Map<String, Path> files = new TreeMap<>();
    for (String name : files(roots)) {
      Path file = Path.of(name);
      if (Files.isRegularFile(file) && outsideBuildDirectories(file)) {
        files.put(name.replace('\\', '/'), file);
      }
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long lastModified = 0;
      for (Map.Entry<String, Path> e : files.entrySet()) {
        sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Files.readAllBytes(e.getValue()));
        sha.update((byte) 0);
        lastModified = Math.max(lastModified, Files.getLastModifiedTime(e.getValue()).toMillis());
      }
      return new Inputs(HexFormat.of().formatHex(sha.digest()).substring(0, 20), lastModified);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
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

  /**
   * The files under {@code roots} that git would consider, tracked or not but never ignored (so an
   * IDE's files change nothing); every file under them where there is no git.
   */
  private static List<String> files(Set<Path> roots) throws IOException {
    List<String> command = new ArrayList<>(List.of("git", "ls-files", "-z", "-co", "--exclude-standard", "--"));
    roots.forEach(r -> command.add(r.toString()));
    try {
      Process git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (git.waitFor() == 0) {
        return List.of(out.split("\0")).stream().filter(n -> !n.isEmpty()).toList();
      }
    } catch (IOException e) {
      // No git here: walk the directories instead.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while listing files", e);
    }
    List<String> all = new ArrayList<>();
    for (Path root : roots) {
      if (Files.exists(root)) {
        try (Stream<Path> walk = Files.walk(root)) {
          walk.filter(Files::isRegularFile).forEach(p -> all.add(p.toString()));
        }
      }
    }
    return all;
  }

  private static boolean outsideBuildDirectories(Path file) {
    for (Path name : file) {
      if (name.toString().equals("target")) {
        return false;
      }
    }
    return true;
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
