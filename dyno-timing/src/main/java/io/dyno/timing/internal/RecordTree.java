package io.dyno.timing.internal;

import io.dyno.timing.Timing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns an event log into records in tree order: each record followed by its descendants, siblings
 * in order of start and then of appending.
 *
 * <p>Every event's parent was appended before it, since a span must exist to be found as a parent,
 * so the tree read from any head is complete and rooted. Each span's end is read once, so a record
 * and the notes derived from its parent's end agree.
 */
final class RecordTree {

  private RecordTree() {}

  /**
   * Returns the records of the log ending at {@code newest}, running intervals measured until
   * {@code now}.
   */
  static List<Timing.Record> build(Event newest, long now) {
    int n = newest.sequence + 1;
    Event[] events = new Event[n];
    int[] notes = new int[n];
    long[] ends = new long[n];
    int[] childCount = new int[n];
    for (Event event = newest; event != null; event = event.previous) {
      events[event.sequence] = event;
    }
    for (int i = 0; i < n; i++) {
      Event event = events[i];
      notes[i] = event.notes();
      ends[i] = event instanceof SpanNode span ? span.end() : 0;
      SpanNode parent = event.parent;
      if (parent != null) {
        childCount[parent.sequence]++;
      }
    }
    // Children of event i are children[first[i] .. first[i + 1]), in order of appending.
    int[] first = new int[n + 1];
    for (int i = 0; i < n; i++) {
      first[i + 1] = first[i] + childCount[i];
    }
    int[] children = new int[first[n]];
    int[] filled = Arrays.copyOf(first, n);
    for (int i = 1; i < n; i++) {
      SpanNode parent = events[i].parent;
      if (parent != null) {
        children[filled[parent.sequence]++] = i;
      }
    }
    for (int i = 0; i < n; i++) {
      sortByStart(children, first[i], first[i + 1], events);
    }

    List<Timing.Record> records = new ArrayList<>(n);
    int[] indexOf = new int[n];
    int[] depthOf = new int[n];
    int[] stack = new int[n];
    int size = 0;
    stack[size++] = 0;
    while (size > 0) {
      int i = stack[--size];
      Event event = events[i];
      SpanNode parent = event.parent;
      int index = records.size();
      indexOf[i] = index;
      depthOf[i] = parent == null ? 0 : depthOf[parent.sequence] + 1;
      records.add(
          record(
              event,
              index,
              parent == null ? -1 : indexOf[parent.sequence],
              depthOf[i],
              notes[i],
              ends,
              now));
      for (int c = first[i + 1] - 1; c >= first[i]; c--) {
        stack[size++] = children[c];
      }
    }
    return Collections.unmodifiableList(records);
  }

  private static Timing.Record record(
      Event event, int index, int parentIndex, int depth, int notes, long[] ends, long now) {
    if (!(event instanceof SpanNode)) {
      return new Timing.Record(
          index,
          parentIndex,
          depth,
          Timing.Kind.MARK,
          event.name,
          event.start,
          0,
          false,
          notes(notes));
    }
    long end = ends[event.sequence];
    boolean running = end == SpanNode.RUNNING;
    SpanNode parent = event.parent;
    if (running
        && parent != null
        && ends[parent.sequence] != SpanNode.RUNNING
        && (notes & Event.bit(Timing.Note.STARTED_AFTER_PARENT_STOPPED)) == 0) {
      notes |= Event.bit(Timing.Note.RUNNING_AFTER_PARENT);
    }
    return new Timing.Record(
        index,
        parentIndex,
        depth,
        Timing.Kind.INTERVAL,
        event.name,
        event.start,
        (running ? now : end) - event.start,
        running,
        notes(notes));
  }

  private static Set<Timing.Note> notes(int bits) {
    if (bits == 0) {
      return Set.of();
    }
    Set<Timing.Note> notes = EnumSet.noneOf(Timing.Note.class);
    for (Timing.Note note : Timing.Note.values()) {
      if ((bits & Event.bit(note)) != 0) {
        notes.add(note);
      }
    }
    return notes;
  }

  /**
   * Sorts {@code children[from..to)} by start, keeping the order of appending among equal starts.
   * Events are appended in about the order they start, so the range is almost always sorted already
   * and only checked.
   */
  private static void sortByStart(int[] children, int from, int to, Event[] events) {
    boolean sorted = true;
    for (int c = from + 1; c < to && sorted; c++) {
      sorted = events[children[c - 1]].start <= events[children[c]].start;
    }
    if (sorted) {
      return;
    }
    Integer[] range = new Integer[to - from];
    for (int c = from; c < to; c++) {
      range[c - from] = children[c];
    }
    // A stable sort: equal starts keep the order of appending.
    Arrays.sort(range, Comparator.comparingLong(c -> events[c].start));
    for (int c = from; c < to; c++) {
      children[c] = range[c - from];
    }
  }
}
