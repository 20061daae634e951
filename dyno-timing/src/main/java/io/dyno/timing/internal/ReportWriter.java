package io.dyno.timing.internal;

import io.dyno.timing.Timing;
import java.time.Instant;
import java.util.List;

/**
 * Renders records as the indented tree of {@link Timing#report()}: a header line, then one line per
 * record with its offset, its duration and its name indented by depth, in aligned columns.
 */
final class ReportWriter {

  private ReportWriter() {}

  /**
   * Returns the report of a timing's records, the first of them the root, with a last line saying
   * how many events were dropped, if any.
   */
  static String write(
      String name, Instant startedAt, List<Timing.Record> records, long dropped, int maxEvents) {
    Timing.Record root = records.get(0);
    StringBuilder out = new StringBuilder();
    out.append(name).append("  started ").append(startedAt).append("  ");
    String total = Durations.format(root.durationNanos());
    if (root.running()) {
      out.append("running, ").append(total).append(" so far");
    } else {
      out.append("total ").append(total);
    }

    int n = records.size();
    String[] offsets = new String[n];
    String[] durations = new String[n];
    int offsetWidth = 0;
    int durationWidth = 0;
    for (int i = 0; i < n; i++) {
      Timing.Record record = records.get(i);
      offsets[i] = "+" + Durations.format(record.startNanos());
      durations[i] = duration(record);
      offsetWidth = Math.max(offsetWidth, offsets[i].length());
      durationWidth = Math.max(durationWidth, durations[i].length());
    }
    for (int i = 0; i < n; i++) {
      Timing.Record record = records.get(i);
      out.append("\n  ");
      pad(out, offsets[i], offsetWidth);
      out.append("  ");
      pad(out, durations[i], durationWidth);
      out.append("  ");
      if (record.kind() == Timing.Kind.MARK) {
        // A mark sits at its depth like an interval, with a dot in the last step of its indent.
        indent(out, record.depth() - 1);
        out.append("· ");
      } else {
        indent(out, record.depth());
      }
      out.append(record.name());
      appendNotes(out, record);
    }
    if (dropped > 0) {
      out.append("\n  (")
          .append(dropped)
          .append(dropped == 1 ? " event" : " events")
          .append(" dropped: the timing keeps at most ")
          .append(maxEvents)
          .append(')');
    }
    return out.toString();
  }

  private static String duration(Timing.Record record) {
    if (record.kind() == Timing.Kind.MARK) {
      return "";
    }
    return record.running() ? "running" : Durations.format(record.durationNanos());
  }

  private static void appendNotes(StringBuilder out, Timing.Record record) {
    if (record.notes().isEmpty()) {
      return;
    }
    String separator = "  (";
    for (Timing.Note note : Timing.Note.values()) {
      if (record.notes().contains(note)) {
        out.append(separator).append(note.description());
        separator = ", ";
      }
    }
    out.append(')');
  }

  private static void pad(StringBuilder out, String text, int width) {
    out.append(text);
    for (int i = text.length(); i < width; i++) {
      out.append(' ');
    }
  }

  private static void indent(StringBuilder out, int depth) {
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }
}
