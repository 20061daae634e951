package io.dyno.cache.redis;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The other JVM of {@link RedisCacheTwoJvmsTest}: builds the same cache against the Redis named by
 * its argument, prints {@code ready}, waits for a line on its input, then reads the key from 8
 * threads and prints {@code loads=<n> value=<value>}.
 */
public final class SecondJvmMain {

  private SecondJvmMain() {}

  /**
   * Runs the second JVM's part.
   *
   * @param args the Redis URI
   * @throws Exception if anything fails; the exit status is then not 0
   */
  public static void main(String[] args) throws Exception {
    AtomicInteger loads = new AtomicInteger();
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try (RedisCache<String, String> cache =
        RedisCache.builder(RedisCacheTwoJvmsTest.NAME)
            .redis(args[0])
            .commandTimeout(RedisServer.PATIENT)
            .values(ValueCodec.string())
            .ttl(Duration.ofMinutes(1))
            .build()) {
      System.out.println("ready");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      if (in.readLine() == null) {
        throw new IllegalStateException("no go");
      }
      List<Future<String>> reads = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        reads.add(
            readers.submit(
                () ->
                    cache.get(
                        "k",
                        k -> {
                          loads.incrementAndGet();
                          return "computed in JVM " + ProcessHandle.current().pid();
                        })));
      }
      String value = null;
      for (Future<String> read : reads) {
        String v = read.get(60, TimeUnit.SECONDS);
        if (value != null && !value.equals(v)) {
          throw new IllegalStateException("two values: " + value + ", " + v);
        }
        value = v;
      }
      System.out.println("loads=" + loads.get() + " value=" + value);
    } finally {
      readers.shutdownNow();
    }
  }
}
