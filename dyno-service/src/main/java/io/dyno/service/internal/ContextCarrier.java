package io.dyno.service.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Carries the caller's context onto the thread that runs an attempt: the SLF4J MDC, the context
 * class loader, and the user's own propagators. Each is captured on the caller's thread, installed
 * around the attempt, and the worker's own context is restored afterwards.
 */
final class ContextCarrier {

  private final String name;
  private final boolean mdc;
  private final boolean classLoader;
  private final List<UnaryOperator<Runnable>> propagators;

  ContextCarrier(Settings s) {
    this.name = s.name();
    this.mdc = s.propagateMdc();
    this.classLoader = s.propagateContextClassLoader();
    this.propagators = s.contextPropagators();
  }

  /**
   * Wraps {@code task} in the context of the calling thread.
   *
   * @param task the attempt
   * @return what the worker runs
   * @throws NullPointerException if a user's propagator returns null
   */
  Runnable capture(Runnable task) {
    Runnable t = task;
    for (UnaryOperator<Runnable> p : propagators) {
      t =
          Objects.requireNonNull(
              p.apply(t), () -> "service '" + name + "': a context propagator returned null");
    }
    if (classLoader) {
      t = withClassLoader(Thread.currentThread().getContextClassLoader(), t);
    }
    if (mdc) {
      t = withMdc(MDC.getCopyOfContextMap(), t);
    }
    return t;
  }

  /**
   * Returns the message for an attempt that the user's propagators returned without running: only
   * they can drop it, since the MDC and class loader wrappers always run what they wrap.
   *
   * @return the message, naming the propagators and what they must do
   */
  String attemptNotRun() {
    String who =
        propagators.size() == 1
            ? "contextPropagator " + propagators.get(0)
            : "one of the contextPropagators " + propagators;
    return "service '"
        + name
        + "': the attempt never ran: the Runnable that "
        + who
        + " returned did not run the attempt it was given; a contextPropagator must return a"
        + " Runnable that runs the attempt once, on the same thread, before it returns";
  }

  private static Runnable withClassLoader(@Nullable ClassLoader loader, Runnable inner) {
    return () -> {
      Thread worker = Thread.currentThread();
      ClassLoader own = worker.getContextClassLoader();
      worker.setContextClassLoader(loader);
      try {
        inner.run();
      } finally {
        worker.setContextClassLoader(own);
      }
    };
  }

  private static Runnable withMdc(@Nullable Map<String, String> context, Runnable inner) {
    return () -> {
      Map<String, String> own = MDC.getCopyOfContextMap();
      install(context);
      try {
        inner.run();
      } finally {
        install(own);
      }
    };
  }

  private static void install(@Nullable Map<String, String> context) {
    if (context == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(context);
    }
  }
}
