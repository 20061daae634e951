package io.dyno.testing;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ThreadKindTest {

  private static final int FEATURE = Runtime.version().feature();

  @Test
  void available_alwaysHasPlatformFirst_andVirtualExactlyFromJava21() {
    assertThat(ThreadKind.available()).first().isEqualTo(ThreadKind.PLATFORM);
    assertThat(ThreadKind.available().contains(ThreadKind.VIRTUAL)).isEqualTo(FEATURE >= 21);
    assertThat(ThreadKind.PLATFORM.isAvailable()).isTrue();
  }

  @Test
  @ResourceLock("system-properties")
  void theSwitch_turnsVirtualThreadsOff() {
    String before = System.getProperty(ThreadKind.SWITCH);
    try {
      System.setProperty(ThreadKind.SWITCH, "false");
      assertThat(ThreadKind.available()).containsExactly(ThreadKind.PLATFORM);
      assertThat(ThreadKind.VIRTUAL.isAvailable()).isFalse();
      assertThatThrownBy(() -> ThreadKind.VIRTUAL.factory("off"))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageStartingWith("virtual threads are not available on Java " + FEATURE);
      System.setProperty(ThreadKind.SWITCH, "true");
      assertThat(ThreadKind.VIRTUAL.isAvailable()).isEqualTo(FEATURE >= 21);
    } finally {
      if (before == null) {
        System.clearProperty(ThreadKind.SWITCH);
      } else {
        System.setProperty(ThreadKind.SWITCH, before);
      }
    }
  }

  @Test
  void virtual_beforeJava21_saysWhichJavaItNeeds() {
    assumeTrue(FEATURE < 21, "virtual threads exist here");
    assertThatThrownBy(() -> ThreadKind.VIRTUAL.newExecutor("v"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(
            "virtual threads are not available on Java "
                + FEATURE
                + ": they need Java 21 or later");
  }

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void factory_makesNamedThreadsOfItsKind(ThreadKind kind) throws Exception {
    ThreadFactory factory = kind.factory("worker");
    CompletableFuture<ThreadKind> ranOn = new CompletableFuture<>();
    Thread first = factory.newThread(() -> ranOn.complete(ThreadKind.of(Thread.currentThread())));
    Thread second = factory.newThread(() -> {});
    assertThat(first.getName()).isEqualTo("worker-0");
    assertThat(second.getName()).isEqualTo("worker-1");
    assertThat(ThreadKind.of(first)).isEqualTo(kind);
    first.start();
    assertThat(ranOn.get(10, SECONDS)).isEqualTo(kind);
    first.join(SECONDS.toMillis(10));
    if (kind == ThreadKind.PLATFORM) {
      assertThat(second.isDaemon()).isTrue();
    }
  }

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void newExecutor_runsEachTaskOnANewThreadOfItsKind(ThreadKind kind) throws Exception {
    ExecutorService executor = kind.newExecutor("task");
    try {
      Thread a = executor.submit(Thread::currentThread).get(10, SECONDS);
      assertThat(ThreadKind.of(a)).isEqualTo(kind);
      assertThat(a.getName()).startsWith("task-");
    } finally {
      executor.shutdown();
      assertThat(executor.awaitTermination(10, SECONDS)).isTrue();
    }
  }

  @Test
  void of_theTestsOwnThread_isPlatform() {
    assertThat(ThreadKind.of(Thread.currentThread())).isEqualTo(ThreadKind.PLATFORM);
  }

  @Test
  void factory_refusesABlankPrefix_namingIt() {
    assertThatThrownBy(() -> ThreadKind.PLATFORM.factory(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prefix must not be blank, was ' '");
    assertThatThrownBy(() -> ThreadKind.PLATFORM.factory(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("prefix must not be null");
  }

  @Test
  void toString_isTheLowerCaseName() {
    assertThat(ThreadKind.PLATFORM).hasToString("platform");
    assertThat(ThreadKind.VIRTUAL).hasToString("virtual");
  }
}
