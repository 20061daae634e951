package io.dyno.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A logger that keeps every line it is given, formatted, for tests to read. Thread-safe. Lines
 * below {@code threshold} are disabled, as a configured back end would drop them; {@code onLog}
 * runs inside each enabled call, to play a back end that misbehaves.
 */
final class RecordingLogger extends LegacyAbstractLogger {

  private static final long serialVersionUID = 1L;

  /** One line logged: its level, its formatted message and the throwable attached, if any. */
  record Line(Level level, String message, Throwable cause) {}

  private final transient ReentrantLock lock = new ReentrantLock();
  private final transient List<Line> lines = new ArrayList<>();
  private final Level threshold;
  private transient volatile Runnable onLog = () -> {};

  RecordingLogger() {
    this(Level.TRACE);
  }

  RecordingLogger(Level threshold) {
    this.name = "recording";
    this.threshold = threshold;
  }

  /** Sets what every enabled logging call runs before it records its line. */
  RecordingLogger onLog(Runnable action) {
    this.onLog = action;
    return this;
  }

  /** Returns the lines logged so far, oldest first. */
  List<Line> lines() {
    lock.lock();
    try {
      return List.copyOf(lines);
    } finally {
      lock.unlock();
    }
  }

  /** Returns the messages logged so far, oldest first. */
  List<String> messages() {
    return lines().stream().map(Line::message).toList();
  }

  private boolean enabled(Level level) {
    // Level's int values grow with severity: TRACE 0 ... ERROR 40.
    return level.toInt() >= threshold.toInt();
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return RecordingLogger.class.getName();
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable cause) {
    onLog.run();
    String message = MessageFormatter.basicArrayFormat(pattern, arguments);
    lock.lock();
    try {
      lines.add(new Line(level, message, cause));
    } finally {
      lock.unlock();
    }
  }
}
