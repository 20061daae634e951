package io.dyno.aspect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One immutable state of an {@link Aspect}: its filters in the order added, and the function that
 * runs them all, composed once when the state is made so that a call only follows references.
 */
final class Pipeline<A, R> {

  /** A filter with the label its error messages use; compared by identity, so each is unique. */
  static final class Entry<F> {
    final F filter;
    final String label;

    Entry(F filter, String label) {
      this.filter = filter;
      this.label = label;
    }
  }

  private final Function<A, R> function;
  private final List<Entry<UnaryOperator<A>>> befores;
  private final List<Entry<Aspect.Around<A, R>>> arounds;
  private final List<Entry<BiFunction<? super A, ? super R, ? extends R>>> afters;

  /** Every filter and the function, composed. */
  final Function<A, R> chain;

  private Pipeline(
      Function<A, R> function,
      List<Entry<UnaryOperator<A>>> befores,
      List<Entry<Aspect.Around<A, R>>> arounds,
      List<Entry<BiFunction<? super A, ? super R, ? extends R>>> afters) {
    this.function = function;
    this.befores = befores;
    this.arounds = arounds;
    this.afters = afters;
    this.chain = compose();
  }

  static <A, R> Pipeline<A, R> of(Function<A, R> function) {
    return new Pipeline<>(function, List.of(), List.of(), List.of());
  }

  int size() {
    return befores.size() + arounds.size() + afters.size();
  }

  Pipeline<A, R> withBefore(Entry<UnaryOperator<A>> e) {
    return new Pipeline<>(function, plus(befores, e), arounds, afters);
  }

  Pipeline<A, R> withAround(Entry<Aspect.Around<A, R>> e) {
    return new Pipeline<>(function, befores, plus(arounds, e), afters);
  }

  Pipeline<A, R> withAfter(Entry<BiFunction<? super A, ? super R, ? extends R>> e) {
    return new Pipeline<>(function, befores, arounds, plus(afters, e));
  }

  /**
   * Returns a pipeline without {@code e}; one with the same filters when it holds no {@code e}, as
   * after a second {@code remove()}. Removing is rare, so it rebuilds rather than checks first.
   */
  Pipeline<A, R> without(Entry<?> e) {
    return new Pipeline<>(function, minus(befores, e), minus(arounds, e), minus(afters, e));
  }

  private Function<A, R> compose() {
    // No filters: the chain is the function itself, so a call costs one more dereference.
    Function<A, R> chain = function;
    if (!afters.isEmpty()) {
      chain = afterStage(chain, afters);
    }
    // The first around added is the outermost: wrap from the last one outwards.
    for (int i = arounds.size() - 1; i >= 0; i--) {
      chain = aroundStage(arounds.get(i), chain);
    }
    if (!befores.isEmpty()) {
      chain = beforeStage(befores, chain);
    }
    return chain;
  }

  private static <A, R> Function<A, R> beforeStage(
      List<Entry<UnaryOperator<A>>> befores, Function<A, R> next) {
    return arg -> {
      A a = arg;
      for (Entry<UnaryOperator<A>> e : befores) {
        a = e.filter.apply(a);
        if (a == null) {
          throw new NullPointerException(e.label + " returned null");
        }
      }
      return next.apply(a);
    };
  }

  private static <A, R> Function<A, R> aroundStage(
      Entry<Aspect.Around<A, R>> e, Function<A, R> inner) {
    Function<A, R> next =
        arg -> {
          if (arg == null) {
            throw new NullPointerException(e.label + " passed null to next");
          }
          return inner.apply(arg);
        };
    return arg -> {
      R r = e.filter.apply(arg, next);
      if (r == null) {
        throw new NullPointerException(e.label + " returned null");
      }
      return r;
    };
  }

  private static <A, R> Function<A, R> afterStage(
      Function<A, R> function, List<Entry<BiFunction<? super A, ? super R, ? extends R>>> afters) {
    return arg -> {
      R r = function.apply(arg);
      for (Entry<BiFunction<? super A, ? super R, ? extends R>> e : afters) {
        r = e.filter.apply(arg, r);
        if (r == null) {
          throw new NullPointerException(e.label + " returned null");
        }
      }
      return r;
    };
  }

  private static <E> List<E> plus(List<E> list, E e) {
    List<E> copy = new ArrayList<>(list.size() + 1);
    copy.addAll(list);
    copy.add(e);
    return List.copyOf(copy);
  }

  private static <E extends Entry<?>> List<E> minus(List<E> list, Entry<?> e) {
    List<E> copy = new ArrayList<>(list.size());
    for (E x : list) {
      if (x != e) {
        copy.add(x);
      }
    }
    return List.copyOf(copy);
  }
}
