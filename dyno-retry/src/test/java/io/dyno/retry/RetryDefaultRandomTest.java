package io.dyno.retry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.retry.internal.ThreadRandom;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Jitter exists so that many clients that failed together do not retry together, and those clients
 * are usually separate processes. A retry built without {@code random(...)} must therefore draw
 * different jitter in different processes, even on worker threads that never touched {@link
 * java.util.concurrent.ThreadLocalRandom} themselves. A process boundary is the point here, so the
 * test starts two small JVMs.
 */
class RetryDefaultRandomTest {

  @Test
  void theDefaultRandom_drawsDifferentJitterInEachProcess() throws Exception {
    List<String> first = runProbe();
    List<String> second = runProbe();

    assertThat(first).hasSize(3);
    assertThat(second).hasSize(3);
    // Three draws over a 2 s range at nanosecond resolution: equal only if not random at all.
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void theDefaultRandom_drawsInRange_andNotTheSameNumberEveryTime() {
    RandomGenerator random = ThreadRandom.INSTANCE;
    Set<Long> longs = new HashSet<>();
    Set<Long> bounded = new HashSet<>();
    Set<Double> doubles = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      longs.add(random.nextLong());
      long below = random.nextLong(1_000_000);
      assertThat(below).isBetween(0L, 999_999L);
      bounded.add(below);
      double d = random.nextDouble();
      assertThat(d).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
      doubles.add(d);
    }

    // Whatever the calling thread's generator draws: 100 equal draws out of 2^64, 10^6 or 2^53
    // values each is beyond any chance.
    assertThat(longs).hasSizeGreaterThan(1);
    assertThat(bounded).hasSizeGreaterThan(1);
    assertThat(doubles).hasSizeGreaterThan(1);
    assertThat(random).hasToString("ThreadLocalRandom.current()");
  }

  /** Runs {@link Probe} in a new JVM and returns the waits it printed, one per line. */
  private static List<String> runProbe() throws IOException, InterruptedException {
    String classpath =
        String.join(
            File.pathSeparator,
            locationOf(Retry.class),
            locationOf(Probe.class),
            locationOf(org.slf4j.Logger.class));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(java.toString(), "-cp", classpath, Probe.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      assertThat(process.waitFor(60, SECONDS)).as("the probe JVM finished").isTrue();
      assertThat(process.exitValue()).isZero();
      return new String(process.getInputStream().readAllBytes(), UTF_8).lines().toList();
    } finally {
      process.destroyForcibly();
    }
  }

  private static String locationOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Builds a jittered retry on the main thread, as an application does at start-up, and uses it on
   * a new worker thread, printing each wait the retry asks for.
   */
  static final class Probe {
    private Probe() {}

    public static void main(String[] args) throws InterruptedException {
      Retry retry =
          Retry.builder("probe")
              .maxAttempts(4)
              .backoff(Backoff.fixed(Duration.ofSeconds(1)).withJitter(1.0))
              .sleeper(d -> System.out.println(d.toNanos()))
              .build();
      Thread worker =
          new Thread(
              () -> {
                try {
                  retry.call(
                      () -> {
                        throw new IOException("down");
                      });
                } catch (Exception expected) {
                  // Every attempt fails: the waits are what the probe is for.
                }
              });
      worker.start();
      worker.join();
    }
  }
}
