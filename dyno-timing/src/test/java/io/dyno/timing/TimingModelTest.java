package io.dyno.timing;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Any sequence of opens, stops (in order, out of order, twice), marks and timing stops on one
 * thread, checked against a plain model: the tree stays well-formed, every event nests under the
 * most recently opened interval still running, and every record's times and notes are as modelled.
 */
class TimingModelTest {

  /** A fixed seed keeps every run identical; change it to explore other scripts. */
  private static final String SEED = "20261127";

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC);

  /** What the model knows of one interval or mark. */
  private static final class Node {
    final String name;
    final @Nullable Node parent;
    final boolean mark;
    final long start;
    long end = Long.MIN_VALUE;
    int stops;
    final Set<Timing.Note> notes = EnumSet.noneOf(Timing.Note.class);
    final List<Node> children = new ArrayList<>();
    Timing.@Nullable Span span;

    Node(String name, @Nullable Node parent, boolean mark, long start) {
      this.name = name;
      this.parent = parent;
      this.mark = mark;
      this.start = start;
      if (parent != null) {
        parent.children.add(this);
        if (!parent.running()) {
          notes.add(Timing.Note.STARTED_AFTER_PARENT_STOPPED);
        }
      }
    }

    boolean running() {
      return !mark && stops == 0;
    }

    void stop(long now) {
      if (++stops > 1) {
        notes.add(Timing.Note.STOPPED_TWICE);
        return;
      }
      end = now;
      if (parent != null
          && !parent.running()
          && !notes.contains(Timing.Note.STARTED_AFTER_PARENT_STOPPED)) {
        notes.add(Timing.Note.STOPPED_AFTER_PARENT);
      }
    }
  }

  @Property(tries = 500, seed = SEED)
  void anyScriptOnOneThread_recordsTheModelledTree(
      @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 999) Integer> script) {
    FakeTicker now = FakeTicker.startingAt(Long.MAX_VALUE - 500); // also crosses the ticker's wrap
    Timing t = Timing.builder("root").ticker(now).clock(CLOCK).start();
    long base = now.read();
    Node root = new Node("root", null, false, 0);
    List<Node> opened = new ArrayList<>();
    List<Node> all = new ArrayList<>(List.of(root));

    for (int op : script) {
      now.advance(op % 7);
      long offset = now.read() - base;
      switch (op % 5) {
        case 0, 1 -> {
          Node node = new Node("s" + all.size(), innermostRunning(opened, root), false, offset);
          node.span = t.interval(node.name);
          opened.add(node);
          all.add(node);
        }
        case 2 -> {
          if (!opened.isEmpty()) {
            Node node = opened.get(op / 5 % opened.size());
            node.span.stop();
            node.stop(offset);
          }
        }
        case 3 -> {
          Node node = new Node("m" + all.size(), innermostRunning(opened, root), true, offset);
          t.mark(node.name);
          all.add(node);
        }
        default -> {
          if (op / 5 % 10 == 0) {
            t.stop();
            root.stop(offset);
          } else {
            Node node = innermostRunning(opened, root);
            if (node != root) {
              node.span.close();
              node.stop(offset);
            }
          }
        }
      }
    }

    long end = now.read() - base;
    List<Timing.Record> records = t.records();
    TimingConcurrencyTest.assertWellFormed(records);
    List<Node> preOrder = new ArrayList<>();
    preOrder(root, preOrder);
    assertThat(records)
        .extracting(Timing.Record::name)
        .containsExactlyElementsOf(preOrder.stream().map(n -> n.name).toList());
    for (int i = 0; i < records.size(); i++) {
      Timing.Record r = records.get(i);
      Node n = preOrder.get(i);
      Set<Timing.Note> notes = EnumSet.noneOf(Timing.Note.class);
      notes.addAll(n.notes);
      if (n.running()
          && n.parent != null
          && !n.parent.running()
          && !n.notes.contains(Timing.Note.STARTED_AFTER_PARENT_STOPPED)) {
        notes.add(Timing.Note.RUNNING_AFTER_PARENT);
      }
      long duration = n.mark ? 0 : (n.running() ? end : n.end) - n.start;
      assertThat(r)
          .isEqualTo(
              new Timing.Record(
                  i,
                  n.parent == null ? -1 : preOrder.indexOf(n.parent),
                  r.depth(),
                  n.mark ? Timing.Kind.MARK : Timing.Kind.INTERVAL,
                  n.name,
                  n.start,
                  duration,
                  n.running(),
                  notes));
    }
    assertThat(t.report().lines()).hasSize(records.size() + 1);
  }

  private static Node innermostRunning(List<Node> opened, Node root) {
    for (int i = opened.size() - 1; i >= 0; i--) {
      if (opened.get(i).running()) {
        return opened.get(i);
      }
    }
    return root;
  }

  private static void preOrder(Node node, List<Node> out) {
    out.add(node);
    for (Node child : node.children) {
      preOrder(child, out);
    }
  }
}
