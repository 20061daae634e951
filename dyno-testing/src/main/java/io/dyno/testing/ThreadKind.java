package io.dyno.testing;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The kind of thread a concurrent test runs on. Code that is correct on platform threads can still
 * misbehave on virtual ones (a lock held while blocking pins the carrier; a thread-local cache
 * multiplies), so contention tests run on every kind {@link #available()}:
 *
 * <pre>{@code
 * @ParameterizedTest(name = "on {0} threads")
 * @MethodSource("io.dyno.testing.ThreadKind#available")
 * void eightThreads_loseNoCount(ThreadKind kind) throws Exception {
 *   List<Long> counts = Race.run(kind, 8, i -> work());
 *   ...
 * }
 * }</pre>
 *
 * <p>The code under test may target Java 17: virtual threads are reached at run time, on Java 21
 * and later, and {@link #VIRTUAL} is simply not available before that.
 */
public enum ThreadKind {
  /** Threads of the operating system, as {@code new Thread(...)} starts them. */
  PLATFORM,
  /** Virtual threads (Java 21 and later), scheduled by the JVM on a few carrier threads. */
  VIRTUAL;

  /**
   * The system property that switches virtual threads off for a test run: {@code
   * -Ddyno.test.virtualThreads=false} leaves {@link #available()} with platform threads alone.
   */
  public static final String SWITCH = "dyno.test.virtualThreads";

  /** The first Java release with virtual threads. */
  private static final int VIRTUAL_SINCE = 21;

  /**
   * The kinds a test can run on here: {@link #PLATFORM} always, then {@link #VIRTUAL} on Java 21
   * and later unless {@value #SWITCH} is {@code false}.
   *
   * @return the available kinds, platform first
   */
  public static List<ThreadKind> available() {
    return VIRTUAL.isAvailable() ? List.of(PLATFORM, VIRTUAL) : List.of(PLATFORM);
  }

  /**
   * Whether this JVM runs threads of this kind for tests.
   *
   * @return true for {@link #PLATFORM}; for {@link #VIRTUAL}, true on Java 21 and later unless
   *     {@value #SWITCH} is {@code false}
   */
  public boolean isAvailable() {
    return this == PLATFORM
        || (Runtime.version().feature() >= VIRTUAL_SINCE
            && !"false".equalsIgnoreCase(System.getProperty(SWITCH)));
  }

  /**
   * A factory of new threads of this kind named {@code prefix-0}, {@code prefix-1}, and so on.
   * Platform threads are daemons, so a test that fails to stop one does not keep the JVM alive.
   *
   * @param prefix the threads' name before the counter
   * @return a new factory
   * @throws IllegalArgumentException if {@code prefix} is blank
   * @throws UnsupportedOperationException if this kind is not {@linkplain #isAvailable() available}
   */
  public ThreadFactory factory(String prefix) {
    checkPrefix(prefix);
    requireAvailable();
    if (this == VIRTUAL) {
      return Virtual.factory(prefix);
    }
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + "-" + next.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * An executor that runs each task on a new thread of this kind, named as {@link #factory} names
   * them. The caller shuts it down.
   *
   * @param prefix the threads' name before the counter
   * @return a new executor
   * @throws IllegalArgumentException if {@code prefix} is blank
   * @throws UnsupportedOperationException if this kind is not {@linkplain #isAvailable() available}
   */
  public ExecutorService newExecutor(String prefix) {
    ThreadFactory threads = factory(prefix);
    return this == VIRTUAL ? Virtual.perTask(threads) : Executors.newCachedThreadPool(threads);
  }

  /**
   * The kind of {@code thread}.
   *
   * @param thread any thread
   * @return {@link #VIRTUAL} for a virtual thread, else {@link #PLATFORM}
   */
  public static ThreadKind of(Thread thread) {
    Objects.requireNonNull(thread, "thread must not be null");
    return Virtual.isVirtual(thread) ? VIRTUAL : PLATFORM;
  }

  /**
   * The kind's name as a test report shows it: {@code platform} or {@code virtual}.
   *
   * @return the lower-case name
   */
  @Override
  public String toString() {
    return this == PLATFORM ? "platform" : "virtual";
  }

  private void requireAvailable() {
    if (!isAvailable()) {
      throw new UnsupportedOperationException(
          this
              + " threads are not available on Java "
              + Runtime.version().feature()
              + (Runtime.version().feature() >= VIRTUAL_SINCE
                  ? " with -D" + SWITCH + "=" + System.getProperty(SWITCH)
                  : ": they need Java " + VIRTUAL_SINCE + " or later"));
    }
  }

  private static void checkPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix must not be null");
    if (prefix.isBlank()) {
      throw new IllegalArgumentException("prefix must not be blank, was '" + prefix + "'");
    }
  }

  /**
   * Virtual threads, reached through method handles so that this module compiles for Java 17. The
   * handles are looked up once, on first use, and are null before Java 21.
   */
  private static final class Virtual {
    private static final @Nullable MethodHandle OF_VIRTUAL;
    private static final @Nullable MethodHandle NAME;
    private static final @Nullable MethodHandle FACTORY;
    private static final @Nullable MethodHandle PER_TASK;
    private static final @Nullable MethodHandle IS_VIRTUAL;

    static {
      MethodHandle ofVirtual = null;
      MethodHandle name = null;
      MethodHandle factory = null;
      MethodHandle perTask = null;
      MethodHandle isVirtual = null;
      if (Runtime.version().feature() >= VIRTUAL_SINCE) {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
          Class<?> builder = Class.forName("java.lang.Thread$Builder");
          Class<?> ofVirtualBuilder = Class.forName("java.lang.Thread$Builder$OfVirtual");
          ofVirtual =
              lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualBuilder));
          name =
              lookup.findVirtual(
                  ofVirtualBuilder,
                  "name",
                  MethodType.methodType(ofVirtualBuilder, String.class, long.class));
          factory =
              lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
          perTask =
              lookup.findStatic(
                  Executors.class,
                  "newThreadPerTaskExecutor",
                  MethodType.methodType(ExecutorService.class, ThreadFactory.class));
          isVirtual =
              lookup.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
          throw new ExceptionInInitializerError(e);
        }
      }
      OF_VIRTUAL = ofVirtual;
      NAME = name;
      FACTORY = factory;
      PER_TASK = perTask;
      IS_VIRTUAL = isVirtual;
    }

    private Virtual() {}

    static ThreadFactory factory(String prefix) {
      try {
        Object builder = Objects.requireNonNull(OF_VIRTUAL, "OF_VIRTUAL must not be null").invoke();
        builder =
            Objects.requireNonNull(NAME, "NAME must not be null").invoke(builder, prefix + "-", 0L);
        return (ThreadFactory)
            Objects.requireNonNull(FACTORY, "FACTORY must not be null").invoke(builder);
      } catch (Throwable e) {
        throw new IllegalStateException("cannot build a factory of virtual threads", e);
      }
    }

    static ExecutorService perTask(ThreadFactory threads) {
      try {
        return (ExecutorService)
            Objects.requireNonNull(PER_TASK, "PER_TASK must not be null").invoke(threads);
      } catch (Throwable e) {
        throw new IllegalStateException("cannot build an executor of virtual threads", e);
      }
    }

    static boolean isVirtual(Thread thread) {
      if (IS_VIRTUAL == null) {
        return false;
      }
      try {
        return (boolean) IS_VIRTUAL.invoke(thread);
      } catch (Throwable e) {
        throw new IllegalStateException("cannot tell whether " + thread + " is virtual", e);
      }
    }
  }
}
