package io.dyno.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The conventions every dyno module follows (DESIGN.md §2), as they apply to injection: time set on
 * a builder, names checked alike, a dependency listed twice or not declared refused, and the
 * interrupt policy.
 */
class ConventionsTest {

  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void shutDown() throws InterruptedException {
    Thread.interrupted();
    release.countDown();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(Fakes.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theTypesThatReadTime_takeItOnTheirBuilder() {
    assertThat(PublicApi.declaring("ticker", LongSupplier.class))
        .containsExactly(Injector.Builder.class);
    assertThat(PublicApi.declaring("clock", Clock.class)).isEmpty();
  }

  @Test
  void aBlankName_isRefusedWithTheSharedMessage() {
    assertThatThrownBy(() -> Dependency.of(" ", () -> "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Dependency.of(null, () -> "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }

  @Test
  void aDependencyListedTwice_isIllegalArgument() {
    Dependency<String> db = Dependency.of("db", () -> "db");

    assertThatThrownBy(() -> Injector.sequential().injectSupplier(List.of(db, db), d -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Dependency 'db' is listed twice");
  }

  @Test
  void aDependencyNotDeclared_isIllegalArgumentNamingTheDeclaredOnes_neverNoSuchElement() {
    Dependency<String> db = Dependency.of("db", () -> "db");
    Dependency<String> geo = Dependency.of("geo", () -> "geo");
    Supplier<String> call = Injector.sequential().injectSupplier(List.of(db), d -> d.get(geo));

    assertThatThrownBy(call::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Dependency 'geo' (declared at ")
        .hasMessageEndingWith("was not declared by this function; declared: ['db']");
  }

  @Test
  void anInterruptWhileWaiting_stopsTheCall_andRestoresTheFlag() {
    Dependency<String> slow =
        Dependency.of(
            "slow",
            () -> {
              Fakes.awaitUninterruptibly(release);
              return "late";
            });
    Supplier<Integer> call = Injector.parallel(executor).injectSupplier(List.of(slow), d -> 1);
    Thread.currentThread().interrupt();

    DependencyException e = catchThrowableOfType(DependencyException.class, call::get);

    assertThat(e).hasCauseInstanceOf(InterruptedException.class);
    assertThat(e.failures()).isEmpty();
    assertThat(Thread.interrupted()).isTrue();
  }
}
