package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.testing.RecordingSleeper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The house conventions (DESIGN.md §2) as they apply to dyno-retry: time injected through {@code
 * ticker(LongSupplier)} on the builder, one {@code toString()} shape, names checked alike, typed
 * accessors on the exceptions, and the interrupt policy. The duration table lives in {@link
 * SharedConventionsTest}. dyno-retry keeps no board or registry of named instances, so it has no
 * duplicate or missing names to answer.
 */
class ConventionsTest {

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  /** Every public type of the API package, read from the compiled classes. */
  static List<Class<?>> publicTypes() throws IOException, URISyntaxException {
    Path root = Path.of(Retry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = root.resolve(Retry.class.getPackageName().replace('.', '/'));
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".class") || name.equals("module-info.class")) {
          continue;
        }
        String binary = Retry.class.getPackageName() + "." + name.replace(".class", "");
        Class<?> type;
        try {
          type = Class.forName(binary, false, Retry.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException(binary, e);
        }
        if (Modifier.isPublic(type.getModifiers()) && !type.isAnonymousClass()) {
          types.add(type);
        }
      }
    }
    return types;
  }

  /** Work that always fails. */
  private static String down() throws IOException {
    throw new IOException("down");
  }

  @Test
  void publicTypes_areFoundByTheScan() throws Exception {
    assertThat(publicTypes())
        .contains(Retry.class, Retry.Builder.class, RetryBudget.class, RetryStoppedException.class)
        .doesNotContain(RetryConfig.class);
  }

  @Test
  void noPublicType_hasATimeWither() throws Exception {
    for (Class<?> type : publicTypes()) {
      assertThat(type.getMethods())
          .as(type.getName())
          .extracting(Method::getName)
          .doesNotContain("withTicker", "withClock");
    }
  }

  @Test
  void everyPublicMethodTakingOnlyATicker_isNamedTicker_andOnlyAClock_isNamedClock()
      throws Exception {
    for (Class<?> type : publicTypes()) {
      for (Method m : type.getDeclaredMethods()) {
        if (!Modifier.isPublic(m.getModifiers()) || m.getParameterCount() != 1) {
          continue;
        }
        Class<?> parameter = m.getParameterTypes()[0];
        if (parameter == LongSupplier.class) {
          assertThat(m.getName()).as(m.toString()).isEqualTo("ticker");
        }
        if (parameter == Clock.class) {
          assertThat(m.getName()).as(m.toString()).isEqualTo("clock");
        }
      }
    }
  }

  @Test
  void retryBuilder_takesItsTimeFromATicker() throws Exception {
    assertThat(Retry.Builder.class.getMethod("ticker", LongSupplier.class).getReturnType())
        .isEqualTo(Retry.Builder.class);
  }

  @Test
  void retry_toString_startsWithItsTypeAndName() {
    assertThat(Retry.of("payments", 2).toString())
        .startsWith("Retry[name=payments, maxAttempts=2")
        .endsWith("]");
  }

  @Test
  void blankNames_areRefusedWithTheSharedMessage_byEveryFactory() {
    assertThatThrownBy(() -> Retry.of(" ", 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Retry.builder(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ''");
    assertThatThrownBy(() -> Retry.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
  }

  @Test
  void stopRecord_namesItsRetry_throughName() {
    Retry retry = Retry.of("fetch", 2);

    Throwable thrown = catchThrowable(() -> retry.call(ConventionsTest::down));

    RetryStoppedException record = (RetryStoppedException) thrown.getSuppressed()[0];
    assertThat(record.name()).isEqualTo("fetch");
    assertThat(record.reason()).isEqualTo(StopReason.MAX_ATTEMPTS);
  }

  @Test
  void anInterrupt_stopsTheRetryAtOnce_andTheFlagStaysSet() {
    RecordingSleeper sleeper = RecordingSleeper.create();
    Retry retry =
        Retry.builder("fetch")
            .maxAttempts(5)
            .backoff(Backoff.fixed(Duration.ofSeconds(1)))
            .sleeper(sleeper::sleep)
            .build();
    Thread.currentThread().interrupt();

    Throwable thrown = catchThrowable(() -> retry.call(ConventionsTest::down));

    assertThat(thrown).isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(sleeper.count()).isZero();
  }
}
