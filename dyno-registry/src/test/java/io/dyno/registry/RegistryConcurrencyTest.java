package io.dyno.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers never see a torn state while others change the registry. */
class RegistryConcurrencyTest {

  private static final int READERS = 4;
  private static final int GENERATIONS = 200;
  private static final int GROUP = 5;

  @TempDir Path dir;

  /** Runs the tasks on threads released together, and returns what they threw. */
  private static List<Throwable> runTogether(List<ThrowingRunnable> tasks)
      throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (ThrowingRunnable task : tasks) {
      Thread t =
          new Thread(
              () -> {
                try {
                  if (!start.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                  }
                  task.run();
                } catch (Exception | AssertionError e) {
                  failures.add(e);
                }
              });
      t.start();
      threads.add(t);
    }
    start.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(t.isAlive()).as("thread finished in time").isFalse();
    }
    return new ArrayList<>(failures);
  }

  /** Work for a thread, which may throw. */
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void load_keysOfOneFileAppearTogether_andValuesNeverGoBack() throws Exception {
    Registry reg = Registry.create("app");
    Key<Integer> a = Key.of("a", Integer.class);
    Key<Integer> b = Key.of("b", Integer.class);
    reg.register(a, 0);
    reg.register(b, 0);
    List<Path> files = new ArrayList<>();
    for (int g = 1; g <= GENERATIONS; g++) {
      StringBuilder text = new StringBuilder("a = int:" + g + "\n");
      for (int k = 0; k < GROUP; k++) {
        text.append("g").append(g).append('.').append(k).append(" = int:").append(g).append('\n');
      }
      text.append("b = int:").append(g).append('\n');
      files.add(Files.writeString(dir.resolve("gen-" + g + ".properties"), text.toString()));
    }
    AtomicBoolean done = new AtomicBoolean();
    List<ThrowingRunnable> tasks = new ArrayList<>();
    tasks.add(
        () -> {
          try {
            for (Path file : files) {
              reg.load(file);
            }
          } finally {
            done.set(true);
          }
        });
    Supplier<Integer> handleA = reg.handle(a);
    Supplier<Integer> handleB = reg.handle(b);
    for (int r = 0; r < READERS; r++) {
      tasks.add(
          () -> {
            int reads = 0;
            while (!done.get() || reads == 0) {
              reads++;
              int seenA = handleA.get();
              int seenB = handleB.get();
              // b is loaded with a, and read after it: it can only be as new or newer.
              assertThat(seenB).as("b read after a").isGreaterThanOrEqualTo(seenA);
              Set<String> names = reg.keys().stream().map(Key::name).collect(Collectors.toSet());
              for (String name : names) {
                if (name.startsWith("g")) {
                  String group = name.substring(0, name.indexOf('.'));
                  for (int k = 0; k < GROUP; k++) {
                    assertThat(names).as("a whole group").contains(group + "." + k);
                  }
                }
              }
            }
          });
    }

    List<Throwable> failures = runTogether(tasks);

    assertThat(failures).isEmpty();
    assertThat(reg.get(a)).isEqualTo(GENERATIONS);
    assertThat(reg.get(b)).isEqualTo(GENERATIONS);
    assertThat(reg.keys()).hasSize(2 + GENERATIONS * GROUP);
  }

  @Test
  void concurrentChanges_loseNothing() throws Exception {
    Registry reg = Registry.create("app");
    Key<Integer> shared = Key.of("shared", Integer.class);
    reg.register(shared, 0);
    Queue<Integer> told = new ConcurrentLinkedQueue<>();
    reg.onChange(shared, (old, now) -> told.add(now));
    List<ThrowingRunnable> tasks = new ArrayList<>();
    for (int w = 0; w < READERS; w++) {
      int writer = w;
      tasks.add(
          () -> {
            for (int i = 0; i < 100; i++) {
              Key<Integer> own = Key.of("w" + writer + "." + i, Integer.class);
              reg.register(own, i);
              reg.tag(own, "w" + writer);
              reg.replace(shared, writer * 1000 + i);
            }
          });
    }

    List<Throwable> failures = runTogether(tasks);

    assertThat(failures).isEmpty();
    assertThat(reg.keys()).hasSize(1 + READERS * 100);
    for (int w = 0; w < READERS; w++) {
      assertThat(reg.tagged("w" + w)).hasSize(100);
    }
    assertThat(told).hasSize(READERS * 100);
  }
}
