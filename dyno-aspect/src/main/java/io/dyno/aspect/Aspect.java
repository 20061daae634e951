package io.dyno.aspect;

import io.dyno.aspect.internal.Names;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A named function wrapped in filters that run before, around and after it, each added and removed
 * at run time.
 *
 * <pre>{@code
 * Aspect<String, String> greet = Aspect.of("greet", name -> "Hello, " + name);
 * greet.before(String::strip);
 * Registration shout = greet.after((name, greeting) -> greeting + "!");
 * String loud = greet.apply("  Ada "); // "Hello, Ada!"
 * shout.remove(); // from now on: "Hello, Ada"
 * }</pre>
 *
 * <p><b>Order.</b> A call runs every {@linkplain #before before} filter in the order added, each on
 * the argument the previous one returned; then the {@linkplain #around around} filters, the first
 * added outermost, each deciding whether to call the next; then the function; then every
 * {@linkplain #after after} filter in the order added, each given the argument the function saw and
 * the result so far. An around filter that does not call {@code next} short-circuits the function
 * and the after filters; filters around it still see its result.
 *
 * <p><b>Failures.</b> An exception thrown by the function or a filter leaves the call unchanged,
 * and the filters after it do not run. Arguments and results are never null: a filter that returns
 * null, or an around filter that passes null to {@code next}, fails the call with a {@link
 * NullPointerException} naming the aspect and the filter, e.g. {@code after filter #2 of aspect
 * 'page' returned null}.
 *
 * <p><b>Interrupts.</b> An aspect never waits and catches nothing, so it has no work of its own to
 * stop: the thread's interrupt flag stays as the function and the filters leave it, and whatever
 * they throw because of an interrupt leaves the call unchanged, as any other failure does.
 *
 * <p><b>Changes at run time.</b> Filters may be added and removed from any thread while calls are
 * running. A call sees one consistent pipeline: the filters in place when it started, all of them
 * and only them, whatever changes meanwhile. Each change builds a new immutable pipeline
 * (copy-on-write); a call reads the current one once and takes no lock. With no filters a call
 * costs one more read than the function itself.
 *
 * <p>Thread-safe; the filters and the function must be too if the aspect is applied concurrently.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
public final class Aspect<A, R> implements Function<A, R> {

  /**
   * A filter around an aspect's function, which may call the rest of the pipeline through {@code
   * next}, or not (to short-circuit it), or more than once.
   *
   * @param <A> the argument type
   * @param <R> the result type
   */
  @FunctionalInterface
  public interface Around<A, R> {

    /**
     * Returns the result for {@code arg}, usually by calling {@code next.apply(...)}.
     *
     * @param arg the argument, as the before filters and any outer around filters left it
     * @param next the rest of the pipeline: the inner around filters, the function and the after
     *     filters
     * @return the result, not null
     */
    R apply(A arg, Function<A, R> next);
  }

  private final String name;
  private final AtomicInteger added = new AtomicInteger();

  // The pipeline is immutable and its fields final, so a call that reads this field once sees every
  // filter of one state and no other, without a lock on the call path. Writers serialize on
  // `changes` so that two concurrent changes cannot lose one another; no user code runs under it.
  private volatile Pipeline<A, R> pipeline;
  private final ReentrantLock changes = new ReentrantLock();

  private Aspect(String name, Function<A, R> function) {
    this.name = name;
    this.pipeline = Pipeline.of(function);
  }

  /**
   * Returns an aspect with no filters around {@code function}.
   *
   * @param name the name shown in messages, not blank
   * @param function the function
   * @param <A> the argument type
   * @param <R> the result type
   * @return the aspect
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static <A, R> Aspect<A, R> of(String name, Function<A, R> function) {
    Names.require(name, "name");
    Objects.requireNonNull(function, "function must not be null");
    return new Aspect<>(name, function);
  }

  /**
   * Returns this aspect's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns how many filters are in place now.
   *
   * @return the number of before, around and after filters
   */
  public int filterCount() {
    return pipeline.size();
  }

  /**
   * Runs {@code arg} through the filters in place when the call starts and the function.
   *
   * @param arg the argument
   * @return the result
   */
  @Override
  public R apply(A arg) {
    return pipeline.chain.apply(arg);
  }

  /**
   * Adds a filter that replaces the argument before the function, and the around filters, see it.
   *
   * @param filter returns the argument to use instead, not null
   * @return the registration that removes the filter
   */
  public Registration before(UnaryOperator<A> filter) {
    Objects.requireNonNull(filter, "filter must not be null");
    return add(new Pipeline.Entry<>(filter, label("before")), Pipeline::withBefore);
  }

  /**
   * Adds a filter around the function, inside the around filters added before it.
   *
   * @param filter the filter, which calls {@code next} to go on
   * @return the registration that removes the filter
   */
  public Registration around(Around<A, R> filter) {
    Objects.requireNonNull(filter, "filter must not be null");
    return add(new Pipeline.Entry<>(filter, label("around")), Pipeline::withAround);
  }

  /**
   * Adds a filter that replaces the result after the function, and the after filters added before
   * it, produced it.
   *
   * @param filter given the argument the function saw and the result so far, returns the result to
   *     use instead, not null
   * @return the registration that removes the filter
   */
  public Registration after(BiFunction<? super A, ? super R, ? extends R> filter) {
    Objects.requireNonNull(filter, "filter must not be null");
    Pipeline.Entry<BiFunction<? super A, ? super R, ? extends R>> entry =
        new Pipeline.Entry<>(filter, label("after"));
    return add(entry, Pipeline::withAfter);
  }

  /**
   * Returns {@code Aspect[name=page, filters=3]}: the name and the number of filters in place.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "Aspect[name=" + name + ", filters=" + filterCount() + "]";
  }

  private String label(String kind) {
    return kind + " filter #" + added.incrementAndGet() + " of aspect '" + name + "'";
  }

  private <F> Registration add(
      Pipeline.Entry<F> entry, BiFunction<Pipeline<A, R>, Pipeline.Entry<F>, Pipeline<A, R>> with) {
    update(p -> with.apply(p, entry));
    return () -> update(p -> p.without(entry));
  }

  private void update(UnaryOperator<Pipeline<A, R>> change) {
    changes.lock();
    try {
      pipeline = change.apply(pipeline);
    } finally {
      changes.unlock();
    }
  }
}
