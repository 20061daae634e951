package io.dyno.benchmarks;

import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * The simulated nanosecond clock of a discrete-event simulation and its events: each event runs at
 * its time, in time order, ties in the order they were scheduled, and the clock reads the time of
 * the event running. The simulations give it to the libraries they measure as their ticker, so that
 * every latency those see is simulated time.
 *
 * <p>Not thread-safe: one simulation runs on one thread.
 */
final class SimulatedClock implements LongSupplier {

  /** One event: a time, its order among events of the same time, and what happens. */
  private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int byTime = Long.compare(time, o.time);
      return byTime != 0 ? byTime : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private long now;
  private long seq;

  /** Returns the simulated time, in nanoseconds from the start. */
  @Override
  public long getAsLong() {
    return now;
  }

  /** Schedules {@code action} at {@code time}, after the events already scheduled at that time. */
  void at(long time, Runnable action) {
    events.add(new Event(time, seq++, action));
  }

  /** Runs the events before {@code end}, then sets the clock to {@code end}. */
  void runUntil(long end) {
    for (Event e = events.peek(); e != null && e.time() < end; e = events.peek()) {
      events.poll();
      now = e.time();
      e.action().run();
    }
    now = end;
  }
}
