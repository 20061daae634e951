package io.dyno.examples.shop;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * A remote dependency played by a function: each call waits as long as the current {@link
 * Behaviour} says (several times longer for the calls its long tail draws), fails with its failure
 * rate, and otherwise answers.
 *
 * <pre>{@code
 * SimulatedDependency inventory =
 *     SimulatedDependency.create(
 *         "inventory", () -> Behaviour.of(20, 0.01), product -> "in stock", clockwork);
 * String stock = inventory.call("teapot"); // waits about 20 ms; fails once in a hundred
 * }</pre>
 *
 * <p>The wait goes through the clockwork's sleeper, so a timeout that interrupts the calling thread
 * ends the call at once with a {@link RemoteException}, the interrupt flag left set, as a blocking
 * socket read would. Chance comes from a {@link Random} seeded by the clockwork's seed and the
 * dependency's name: one thread making the same calls sees the same latencies and failures.
 *
 * <p>Thread-safe.
 */
public final class SimulatedDependency implements Function<String, String> {

  private final String name;
  private final Supplier<Behaviour> behaviour;
  private final Function<String, String> answer;
  private final Clockwork clockwork;
  private final Random random;
  private final ReentrantLock drawing = new ReentrantLock();
  private final LongAdder calls = new LongAdder();

  private SimulatedDependency(
      String name,
      Supplier<Behaviour> behaviour,
      Function<String, String> answer,
      Clockwork clockwork) {
    this.name = name;
    this.behaviour = behaviour;
    this.answer = answer;
    this.clockwork = clockwork;
    // A fixed mix of the seed and the name: each dependency draws its own reproducible sequence.
    this.random = new Random(clockwork.seed() * 31 + name.hashCode());
  }

  /**
   * Creates a simulated dependency.
   *
   * @param name the dependency's name, shown in its failures
   * @param behaviour the behaviour now; asked at the start of every call
   * @param answer the answer to a request when the call succeeds
   * @param clockwork the sleeper that plays the latency, and the seed
   * @return the dependency
   */
  public static SimulatedDependency create(
      String name,
      Supplier<Behaviour> behaviour,
      Function<String, String> answer,
      Clockwork clockwork) {
    return new SimulatedDependency(
        Objects.requireNonNull(name, "name"),
        Objects.requireNonNull(behaviour, "behaviour"),
        Objects.requireNonNull(answer, "answer"),
        Objects.requireNonNull(clockwork, "clockwork"));
  }

  /**
   * Calls the dependency: waits its latency, then fails or answers.
   *
   * @param request the request
   * @return the answer
   * @throws RemoteException if the call fails, or if the thread is interrupted while it waits
   */
  public String call(String request) {
    return call(request, nanos -> {});
  }

  /**
   * Calls the dependency, telling {@code drawn} the latency drawn for the call before waiting it:
   * what the call would take if nothing cut it short.
   *
   * @param request the request
   * @param drawn receives the drawn latency in nanoseconds, on the calling thread
   * @return the answer
   * @throws RemoteException if the call fails, or if the thread is interrupted while it waits
   */
  public String call(String request, LongConsumer drawn) {
    Objects.requireNonNull(drawn, "drawn must not be null");
    calls.increment();
    Behaviour now = behaviour.get();
    double spread;
    boolean fails;
    boolean slow;
    // Random is thread-safe, but two draws of one call must come from one thread's turn so that a
    // single-threaded caller sees a sequence fixed by the seed.
    drawing.lock();
    try {
      spread = 2 * random.nextDouble() - 1;
      fails = random.nextDouble() < now.failureRate();
      // Drawn only with a tail, so that a dependency without one keeps the sequence it had.
      slow = now.tailRate() > 0 && random.nextDouble() < now.tailRate();
    } finally {
      drawing.unlock();
    }
    long nanos =
        Math.round(
            now.latency().toNanos() * (1 + now.jitter() * spread) * (slow ? now.tailFactor() : 1));
    drawn.accept(nanos);
    try {
      clockwork.sleeper().sleep(Duration.ofNanos(nanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException(name + ": call interrupted after it was given up on");
    }
    if (fails) {
      throw new RemoteException(name + ": 503 Service Unavailable (simulated)");
    }
    return answer.apply(request);
  }

  /**
   * Calls the dependency, as {@link #call(String)}.
   *
   * @param request the request
   * @return the answer
   */
  @Override
  public String apply(String request) {
    return call(request);
  }

  /**
   * Returns how many calls were made, answered or not.
   *
   * @return the number of calls
   */
  public long calls() {
    return calls.sum();
  }

  /**
   * Returns the dependency's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns {@code SimulatedDependency[name]}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "SimulatedDependency[" + name + "]";
  }
}
