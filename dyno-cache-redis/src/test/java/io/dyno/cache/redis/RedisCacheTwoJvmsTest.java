package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two JVMs, one Redis: the key is computed once for both. */
class RedisCacheTwoJvmsTest {

  static final String NAME = "two-jvms";

  @RegisterExtension static final RedisServer REDIS = RedisServer.perClass();

  @Test
  void twoJvmsReadingOneKeyTogether_computeItOnce() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                testClassPath(),
                SecondJvmMain.class.getName(),
                REDIS.uri())
            .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/second-jvm.err")))
            .start();
    ExecutorService pool = Executors.newFixedThreadPool(9);
    try (RedisCache<String, String> cache =
        RedisCache.builder(NAME)
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .values(ValueCodec.string())
            .ttl(Duration.ofMinutes(1))
            .build()) {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertThat(pool.submit(out::readLine).get(60, TimeUnit.SECONDS)).isEqualTo("ready");

      AtomicInteger loads = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> reads = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        reads.add(
            pool.submit(
                () -> {
                  start.await();
                  return cache.get(
                      "k",
                      k -> {
                        loads.incrementAndGet();
                        return "computed in JVM " + ProcessHandle.current().pid();
                      });
                }));
      }
      OutputStream in = child.getOutputStream();
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      start.countDown();

      Set<String> values = new LinkedHashSet<>();
      for (Future<String> read : reads) {
        values.add(read.get(60, TimeUnit.SECONDS));
      }
      String report = pool.submit(out::readLine).get(60, TimeUnit.SECONDS);
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isZero();

      assertThat(report).matches("loads=[01] value=computed in JVM \\d+");
      int childLoads = Integer.parseInt(report.substring("loads=".length(), report.indexOf(' ')));
      values.add(report.substring(report.indexOf("value=") + "value=".length()));
      assertThat(loads.get() + childLoads).as("computations in both JVMs").isEqualTo(1);
      assertThat(values).as("the one value both JVMs read").hasSize(1);
    } finally {
      pool.shutdownNow();
      child.destroyForcibly();
    }
  }

  /** This JVM's classes and jars, as a class path for another JVM. */
  private static String testClassPath() {
    List<String> entries = new ArrayList<>();
    entries.add(Path.of("target", "test-classes").toAbsolutePath().toString());
    entries.add(Path.of("target", "classes").toAbsolutePath().toString());
    for (String property :
        List.of("surefire.test.class.path", "jdk.module.path", "java.class.path")) {
      String value = System.getProperty(property);
      if (value != null && !value.isEmpty()) {
        entries.add(value);
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
