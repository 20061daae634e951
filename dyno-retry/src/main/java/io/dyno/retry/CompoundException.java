package io.dyno.retry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * All the failures of one retried call, in the order the attempts failed.
 *
 * <p>A {@link Retry} normally throws the last failure itself, unchanged, so {@code catch
 * (IOException e)} works as if no retry were there; the earlier failures ride along as suppressed
 * exceptions. {@link #of(Throwable)} turns such a failure back into the list:
 *
 * <pre>{@code
 * try {
 *   fetch.call(() -> client.send(request));
 * } catch (IOException e) {
 *   CompoundException all = CompoundException.of(e);
 *   all.exceptions();                             // every attempt's failure, oldest first
 *   all.ofType(SocketTimeoutException.class);     // just the timeouts
 * }
 * }</pre>
 *
 * <p>A retry built with {@code throwCompound()} throws a {@code CompoundException} instead, whose
 * cause is the last failure and whose suppressed exceptions are the earlier ones.
 *
 * <p>Immutable. If one exception instance failed several attempts, it is listed once, at its first
 * place; an exception created with suppression disabled cannot carry the earlier failures, so only
 * {@code throwCompound()} keeps them in that case. A call that failed more than 100 times keeps its
 * first 50 failures and its last 50 ({@link RetryStoppedException#omittedFailures()} counts the
 * rest).
 */
public final class CompoundException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Every failure, oldest first. Always a {@code List.copyOf} list, which serializes, as do
   * throwables; the declared type is the interface, which javac's serial lint cannot know.
   */
  @SuppressWarnings("serial")
  private final List<Throwable> exceptions;

  /** Why the retry stopped; null for a failure that did not come out of a retry. */
  private final @Nullable StopReason reason;

  private CompoundException(
      String message,
      List<Throwable> exceptions,
      @Nullable StopReason reason,
      boolean writableStackTrace) {
    super(message, exceptions.get(exceptions.size() - 1), true, writableStackTrace);
    this.exceptions = exceptions;
    this.reason = reason;
  }

  /** The exception thrown by a retry built with {@code throwCompound()}. */
  static CompoundException thrown(RetryStoppedException stop, List<Throwable> exceptions) {
    CompoundException e =
        new CompoundException(
            Objects.requireNonNullElse(stop.getMessage(), ""),
            List.copyOf(exceptions),
            stop.reason(),
            true);
    for (int i = 0; i < exceptions.size() - 1; i++) {
      e.addSuppressed(exceptions.get(i));
    }
    return e;
  }

  /**
   * Returns the failures of the retried call that ended in {@code failure}: the earlier attempts'
   * failures that a {@link Retry} attached to it, then {@code failure} itself. A failure that did
   * not come out of a retry gives a list of itself alone; a {@code CompoundException} gives itself.
   *
   * @param failure the failure a retry threw
   * @return the list view, not thrown and without a stack trace of its own
   */
  public static CompoundException of(Throwable failure) {
    Objects.requireNonNull(failure, "failure must not be null");
    if (failure instanceof CompoundException compound) {
      return compound;
    }
    Throwable[] suppressed = failure.getSuppressed();
    // The newest record wins: an outer retry attaches its record after an inner one's.
    for (int i = suppressed.length - 1; i >= 0; i--) {
      if (suppressed[i] instanceof RetryStoppedException stop) {
        int end = Math.min(suppressed.length, i + 1 + stop.earlierFailures());
        List<Throwable> all = new ArrayList<>(Arrays.asList(suppressed).subList(i + 1, end));
        all.add(failure);
        return new CompoundException(
            Objects.requireNonNullElse(stop.getMessage(), ""),
            List.copyOf(all),
            stop.reason(),
            false);
      }
    }
    return new CompoundException(String.valueOf(failure), List.of(failure), null, false);
  }

  /**
   * Returns every failure, oldest first; the last is the one that ended the call.
   *
   * @return the failures, never empty
   */
  public List<Throwable> exceptions() {
    return exceptions;
  }

  /**
   * Returns the failure of the first attempt.
   *
   * @return the first failure
   */
  public Throwable first() {
    return exceptions.get(0);
  }

  /**
   * Returns the failure that ended the call.
   *
   * @return the last failure
   */
  public Throwable last() {
    return exceptions.get(exceptions.size() - 1);
  }

  /**
   * Returns the failures that are instances of {@code type}, oldest first.
   *
   * @param type the class to select, subclasses included
   * @param <X> the type
   * @return the matching failures, possibly empty
   */
  public <X extends Throwable> List<X> ofType(Class<X> type) {
    Objects.requireNonNull(type, "type must not be null");
    return exceptions.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /**
   * Returns why the retry stopped, or empty for a failure that did not come out of a retry.
   *
   * @return the stop reason
   */
  public Optional<StopReason> reason() {
    return Optional.ofNullable(reason);
  }
}
