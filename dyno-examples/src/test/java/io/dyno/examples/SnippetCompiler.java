package io.dyno.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Compiles the {@code ```java} blocks of the docs as units, the way a reader who copies one would.
 *
 * <p>Each block goes in its own package, with the imports of its page's prelude (a Java file the
 * page links to, listing the imports and the stand-ins for the reader's own code that the snippets
 * leave out) and a copy of that prelude beside it. A block's own {@code import} lines go to the top
 * of its unit. The wrapping class extends the prelude's {@code YourCode} class, if it has one, so
 * that its names (static ones, and instance methods for {@code this::loadProfile}) are in scope. A
 * block may be written in one of three forms, tried in this order, each in one compiler task for
 * all the blocks still failing:
 *
 * <ol>
 *   <li>{@link Form#STATEMENTS}: the body of {@code void run() throws Exception} in that class;
 *   <li>{@link Form#MEMBERS}: the body of that class (methods, fields, nested types);
 *   <li>{@link Form#UNIT}: a whole compilation unit (imports and top-level types).
 * </ol>
 *
 * <p>A block compiles if one form compiles without error. A block that compiles in no form is
 * reported with the diagnostics of the form that gave the fewest, mapped back to the doc's lines.
 */
final class SnippetCompiler {

  /** A block of a doc: {@code doc} as the reader finds it, {@code line} its first code line. */
  record Block(String doc, int line, List<String> code) {
    String where() {
      return doc + ":" + line;
    }
  }

  /**
   * The imports and declarations a page's snippets assume: {@code file} as shown in failures,
   * {@code text} a Java compilation unit without a package line.
   */
  record Prelude(String file, String text) {
    static final Prelude NONE = new Prelude("(no prelude)", "");

    static Prelude read(Path file, String shownAs) {
      try {
        return new Prelude(shownAs, Files.readString(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    List<String> imports() {
      return text.lines().filter(SnippetCompiler::isImport).toList();
    }

    /** Whether the prelude declares {@code class YourCode}, whose static members units import. */
    boolean hasYourCode() {
      return YOUR_CODE.matcher(text).find();
    }
  }

  /** The ways a block is wrapped to make a compilation unit. */
  enum Form {
    STATEMENTS,
    MEMBERS,
    UNIT
  }

  private static final Pattern YOUR_CODE =
      Pattern.compile("^(?:abstract |final )*class YourCode\\b", Pattern.MULTILINE);
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "^public (?:abstract |final |sealed |non-sealed )*(?:class|interface|record|enum)"
              + " (\\w+)",
          Pattern.MULTILINE);

  private final String classPath;
  private final Path classOutput;

  SnippetCompiler(String classPath, Path classOutput) {
    this.classPath = classPath;
    this.classOutput = classOutput;
  }

  /**
   * Compiles every block with its page's prelude and returns one line per failure, {@code
   * docs/x.md:LINE: first diagnostic}, in the order of the blocks; empty when all compile. Errors
   * in a prelude itself are listed too, once, as {@code docs/snippets/x.java:LINE: ...}.
   */
  List<String> failures(Map<Block, Prelude> blocks) {
    Map<Block, List<String>> fewest = new LinkedHashMap<>();
    Set<String> preludeErrors = new TreeSet<>();
    List<Block> pending = new ArrayList<>(blocks.keySet());
    for (Form form : Form.values()) {
      if (pending.isEmpty()) {
        break;
      }
      Map<Block, List<String>> errors = compile(pending, blocks, form, preludeErrors);
      List<Block> stillFailing = new ArrayList<>();
      for (Block block : pending) {
        List<String> found = errors.getOrDefault(block, List.of());
        if (found.isEmpty()) {
          fewest.remove(block);
          continue;
        }
        List<String> before = fewest.get(block);
        if (before == null || found.size() < before.size()) {
          fewest.put(block, found);
        }
        stillFailing.add(block);
      }
      pending = stillFailing;
    }
    List<String> failures = new ArrayList<>();
    for (Block block : blocks.keySet()) {
      List<String> found = fewest.get(block);
      if (found != null) {
        failures.add(found.get(0));
      }
    }
    failures.addAll(preludeErrors);
    return failures;
  }

  /** One compiler task for the given blocks in one form; each block's errors, in line order. */
  private Map<Block, List<String>> compile(
      List<Block> blocks, Map<Block, Prelude> preludes, Form form, Set<String> preludeErrors) {
    List<Source> sources = new ArrayList<>();
    Map<JavaFileObject, Source> bySource = new HashMap<>();
    for (Block block : blocks) {
      Prelude prelude = preludes.get(block);
      String pkg = packageName(block);
      for (Source source : List.of(wrap(block, prelude, form, pkg), preludeUnit(prelude, pkg))) {
        sources.add(source);
        bySource.put(source.file(), source);
      }
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<String> options =
        List.of(
            "-proc:none",
            "-implicit:none",
            "-nowarn",
            // Attribute and flow-check every unit even when another has errors; write nothing.
            "-XDshould-stop.ifError=FLOW",
            "-XDshould-stop.ifNoError=FLOW",
            "-classpath",
            classPath,
            "-d",
            classOutput.toString());
    try {
      Files.createDirectories(classOutput);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    compiler
        .getTask(
            null,
            null,
            diagnostics,
            options,
            null,
            sources.stream().map(s -> (JavaFileObject) s.file()).toList())
        .call();
    Map<Block, List<Located>> errors = new HashMap<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      Source source = d.getSource() == null ? null : bySource.get(d.getSource());
      String message = oneLine(d.getMessage(Locale.ROOT));
      if (source == null) {
        preludeErrors.add("(compiler): " + message);
      } else if (source.block() == null) {
        long line = Math.max(1, d.getLineNumber() - source.firstLine() + 1);
        preludeErrors.add(source.shownAs() + ":" + line + ": " + message);
      } else {
        Block block = source.block();
        long inBlock = d.getLineNumber() - source.firstLine();
        long line = block.line() + Math.max(0, Math.min(inBlock, block.code().size() - 1));
        errors
            .computeIfAbsent(block, b -> new ArrayList<>())
            .add(new Located(line, block.doc() + ":" + line + ": " + message));
      }
    }
    Map<Block, List<String>> result = new HashMap<>();
    errors.forEach(
        (block, found) ->
            result.put(
                block,
                found.stream()
                    .sorted(Comparator.comparingLong(Located::line))
                    .map(Located::text)
                    .toList()));
    return result;
  }

  /** The unit for a block in a form; {@code firstLine} is the unit line of the block's first. */
  static Source wrap(Block block, Prelude prelude, Form form, String pkg) {
    List<String> unit = new ArrayList<>();
    unit.add("package " + pkg + ";");
    unit.addAll(prelude.imports());
    if (prelude.hasYourCode() && form == Form.UNIT) {
      unit.add("import static " + pkg + ".YourCode.*;"); // a unit's types see its static names
    }
    List<String> body = new ArrayList<>();
    for (String line : block.code()) {
      if (form != Form.UNIT && isImport(line)) {
        unit.add(line.trim());
        body.add(""); // keeps the lines where the doc has them
      } else {
        body.add(line);
      }
    }
    String name = "Snippet";
    String header =
        "abstract class Snippet" + (prelude.hasYourCode() ? " extends YourCode {" : " {");
    switch (form) {
      case STATEMENTS -> unit.add(header + " void run() throws Exception {");
      case MEMBERS -> unit.add(header);
      case UNIT -> {
        Matcher publicType = PUBLIC_TYPE.matcher(String.join("\n", body));
        if (publicType.find()) {
          name = publicType.group(1); // a public type must be in a file of its name
        }
      }
    }
    int firstLine = unit.size() + 1;
    unit.addAll(body);
    switch (form) {
      case STATEMENTS -> unit.add("}}");
      case MEMBERS -> unit.add("}");
      case UNIT -> {}
    }
    return new Source(
        new InMemory(pkg, name, String.join("\n", unit) + "\n"), block, block.where(), firstLine);
  }

  private static Source preludeUnit(Prelude prelude, String pkg) {
    String text = "package " + pkg + ";\n" + prelude.text();
    return new Source(new InMemory(pkg, "YourCode", text), null, prelude.file(), 2);
  }

  /** {@code snippets.retry_md_L120} for the block at docs/retry.md:120. */
  static String packageName(Block block) {
    String page = Path.of(block.doc()).getFileName().toString();
    String id = page.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    return "snippets." + id + "_L" + block.line();
  }

  private static boolean isImport(String line) {
    return line.trim().startsWith("import ");
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", "; ").trim();
  }

  record Source(InMemory file, Block block, String shownAs, int firstLine) {}

  private record Located(long line, String text) {}

  /** A source file held in memory, named so that javac accepts a public type in it. */
  static final class InMemory extends SimpleJavaFileObject {
    private final String text;

    InMemory(String pkg, String typeName, String text) {
      super(URI.create("mem:///" + pkg.replace('.', '/') + "/" + typeName + ".java"), Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }
}
