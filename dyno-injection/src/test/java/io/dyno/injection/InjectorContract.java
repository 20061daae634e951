package io.dyno.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.injection.Fakes.Counter;
import io.dyno.injection.Fakes.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What every injector does, sequential or parallel. */
abstract class InjectorContract {

  abstract Injector injector();

  final Counter counter = new Counter();

  @Test
  void inject_givesTheBodyItsDependenciesAndArgument() {
    Dependency<String> a = Dependency.of("a", () -> "A");
    Dependency<Integer> b = Dependency.of("b", () -> 2);
    Function<String, String> f =
        injector().inject(List.of(a, b), (deps, x) -> deps.get(a) + deps.get(b) + x);
    assertThat(f.apply("x")).isEqualTo("A2x");
    assertThat(f.apply("y")).isEqualTo("A2y");
  }

  @Test
  void inject_constructsPerCall() {
    AtomicInteger constructions = new AtomicInteger();
    Dependency<Integer> d = Dependency.of("d", constructions::incrementAndGet);
    Supplier<Integer> s = injector().injectSupplier(List.of(d), deps -> deps.get(d));
    assertThat(s.get()).isEqualTo(1);
    assertThat(s.get()).isEqualTo(2);
  }

  @Test
  void get_ofAnUndeclaredDependency_namesItAndTheDeclaredOnes() {
    Dependency<String> a = Dependency.of("a", () -> "A");
    Dependency<String> other = Dependency.of("other", () -> "O");
    Supplier<String> s = injector().injectSupplier(List.of(a), deps -> deps.get(other));
    assertThatThrownBy(s::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Dependency 'other' (declared at ")
        .hasMessageEndingWith("was not declared by this function; declared: ['a']");
    assertThat(injector().injectSupplier(List.of(a), Deps::toString).get()).isEqualTo("Deps['a']");
  }

  @Test
  void inject_rejectsADependencyListedTwice() {
    Dependency<String> a = Dependency.of("a", () -> "A");
    assertThatThrownBy(() -> injector().inject(List.of(a, a), (deps, x) -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Dependency 'a' is listed twice");
  }

  @Test
  void bodyFailure_passesThroughUnchanged_afterClosing() {
    Dependency<Resource> r = Dependency.of("r", () -> new Resource("r", counter)).closeAfterCall();
    IllegalStateException boom = new IllegalStateException("boom");
    Supplier<String> s =
        injector()
            .injectSupplier(
                List.of(r),
                deps -> {
                  throw boom;
                });
    assertThatThrownBy(s::get).isSameAs(boom);
    assertThat(counter.closes).hasValue(1);
  }

  @Test
  void closeAfterCall_closesAfterTheBodyReturns_lastFirst() {
    StringBuilder order = new StringBuilder();
    Dependency<AutoCloseable> a =
        Dependency.<AutoCloseable>of("a", () -> () -> order.append("a")).closeAfterCall();
    Dependency<AutoCloseable> b =
        Dependency.<AutoCloseable>of("b", () -> () -> order.append("b")).closeAfterCall();
    Dependency<Resource> kept = Dependency.of("kept", () -> new Resource("kept", counter));
    Supplier<String> s =
        injector().injectSupplier(List.of(a, b, kept), deps -> order.append("body").toString());
    assertThat(s.get()).isEqualTo("body");
    assertThat(order).hasToString("bodyba");
    assertThat(counter.closes).hasValue(0);
  }

  @Test
  void closeFailure_afterABodyFailure_isSuppressedOnIt() {
    IOException closing = new IOException("close");
    Dependency<AutoCloseable> a =
        Dependency.<AutoCloseable>of(
                "a",
                () ->
                    () -> {
                      throw closing;
                    })
            .closeAfterCall();
    IllegalStateException boom = new IllegalStateException("boom");
    Supplier<String> s =
        injector()
            .injectSupplier(
                List.of(a),
                deps -> {
                  throw boom;
                });
    assertThatThrownBy(s::get).isSameAs(boom).hasSuppressedException(closing);
  }

  @Test
  void closeFailure_afterABodySuccess_isThrown() {
    IOException closing = new IOException("close");
    Dependency<AutoCloseable> a =
        Dependency.<AutoCloseable>of(
                "a",
                () ->
                    () -> {
                      throw closing;
                    })
            .closeAfterCall();
    Supplier<String> s = injector().injectSupplier(List.of(a), deps -> "ok");
    DependencyException e = catchThrowableOfType(DependencyException.class, s::get);
    assertThat(e).hasCause(closing);
    assertThat(e.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.dependency()).isEqualTo("a");
              assertThat(f.kind()).isEqualTo(DependencyFailure.Kind.CLOSE_FAILED);
            });
    assertThat(e)
        .hasMessageContaining(
            "1 dependency could not be had for the call:\n  1) 'a' could not be closed after the call: java.io.IOException: close\n    declared at "
                + InjectorContract.class.getName());
  }

  @Test
  void failure_listsEveryFailedDependency_andClosesTheConstructedOnes() {
    UncheckedIOException refused = new UncheckedIOException(new IOException("refused"));
    Dependency<Resource> ok = Dependency.of("ok", () -> new Resource("ok", counter));
    Dependency<String> db =
        Dependency.of(
            "db",
            () -> {
              throw refused;
            });
    AtomicInteger bodies = new AtomicInteger();
    Supplier<Integer> s =
        injector().injectSupplier(List.of(ok, db), deps -> bodies.incrementAndGet());
    DependencyException e = catchThrowableOfType(DependencyException.class, s::get);
    assertThat(e).hasCause(refused);
    assertThat(e.getSuppressed()).containsExactly(refused);
    assertThat(e.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.dependency()).isEqualTo("db");
              assertThat(f.kind()).isEqualTo(DependencyFailure.Kind.FAILED);
              assertThat(f.cause()).isSameAs(refused);
              assertThat(f.declaredAt()).isEqualTo(db.declaredAt());
            });
    assertThat(e)
        .hasMessageStartingWith(
            "1 dependency could not be had for the call:\n  1) 'db' failed after ")
        .hasMessageContaining(
            ": java.io.UncheckedIOException: java.io.IOException: refused\n    declared at "
                + InjectorContract.class.getName());
    assertThat(bodies).hasValue(0);
  }

  @Test
  void failure_withAFallback_usesTheFallback() {
    Dependency<String> geo =
        Dependency.<String>of(
                "geo",
                () -> {
                  throw new IllegalStateException("down");
                })
            .orElse("offline");
    Dependency<String> geo2 =
        Dependency.<String>of(
                "geo2",
                () -> {
                  throw new IllegalStateException("down");
                })
            .orElseGet(() -> "offline2");
    assertThat(
            injector()
                .injectSupplier(List.of(geo, geo2), deps -> deps.get(geo) + deps.get(geo2))
                .get())
        .isEqualTo("offlineoffline2");
  }

  @Test
  void fallbackFailure_isReportedWithTheOriginalAttached() {
    IllegalStateException down = new IllegalStateException("down");
    IllegalStateException noFallback = new IllegalStateException("no fallback");
    Dependency<String> geo =
        Dependency.<String>of(
                "geo",
                () -> {
                  throw down;
                })
            .orElseGet(
                () -> {
                  throw noFallback;
                });
    DependencyException e =
        catchThrowableOfType(
            DependencyException.class, injector().injectSupplier(List.of(geo), deps -> 1)::get);
    assertThat(e).hasCause(noFallback);
    assertThat(noFallback).hasSuppressedException(down);
  }

  @Test
  void nullFallback_isAFailure() {
    Dependency<String> geo =
        Dependency.<String>of(
                "geo",
                () -> {
                  throw new IllegalStateException("down");
                })
            .orElseGet(() -> nothing());
    DependencyException e =
        catchThrowableOfType(
            DependencyException.class, injector().injectSupplier(List.of(geo), deps -> 1)::get);
    assertThat(e.getCause())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("Fallback of dependency 'geo' returned null");
  }

  @Test
  void nullConstruction_isAFailure() {
    Dependency<String> d = Dependency.of("d", () -> nothing());
    DependencyException e =
        catchThrowableOfType(
            DependencyException.class, injector().injectSupplier(List.of(d), deps -> 1)::get);
    assertThat(e.getCause())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("Dependency 'd' constructed null");
  }

  @SuppressWarnings("NullAway") // a supplier that breaks its contract
  private static String nothing() {
    return null;
  }

  @Test
  void withOverride_usesTheValue_withoutConstructingOrClosing() {
    AtomicInteger constructions = new AtomicInteger();
    Dependency<Resource> db =
        Dependency.of(
                "db",
                () -> {
                  constructions.incrementAndGet();
                  return new Resource("real", counter);
                })
            .closeAfterCall();
    Resource fake = new Resource("fake", counter);
    Injector test = injector().withOverride(db, fake);
    assertThat(test.injectSupplier(List.of(db), deps -> deps.get(db)).get()).isSameAs(fake);
    assertThat(constructions).hasValue(0);
    assertThat(counter.closes).hasValue(0);
    assertThat(test.toString()).endsWith(", override 'db']");
  }

  @Test
  void shared_isConstructedOnce_andRetriedAfterAFailure() {
    AtomicInteger attempts = new AtomicInteger();
    Dependency<Integer> config =
        Dependency.of(
                "config",
                () -> {
                  int n = attempts.incrementAndGet();
                  if (n == 1) {
                    throw new IllegalStateException("first fails");
                  }
                  return n;
                })
            .shared();
    Supplier<Integer> s = injector().injectSupplier(List.of(config), deps -> deps.get(config));
    assertThatThrownBy(s::get).isInstanceOf(DependencyException.class);
    assertThat(s.get()).isEqualTo(2);
    assertThat(s.get()).isEqualTo(2);
    assertThat(attempts).hasValue(2);
  }

  @Test
  void error_passesThroughUnchanged() {
    AssertionError error = new AssertionError("fatal");
    Dependency<Resource> ok = Dependency.of("ok", () -> new Resource("ok", counter));
    Dependency<String> bad =
        Dependency.of(
            "bad",
            () -> {
              throw error;
            });
    Supplier<Integer> s = injector().injectSupplier(List.of(ok, bad), deps -> 1);
    assertThatThrownBy(s::get).isSameAs(error);
  }
}
