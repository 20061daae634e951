package io.dyno.registry;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link Registry#load} when a file cannot be loaded: its message names the file, the
 * line and the key. When it is thrown the registry is unchanged.
 *
 * <pre>
 * services.properties:3: key 'pool.size': 'eight' is not a valid int (For input string: "eight")
 * </pre>
 */
public final class RegistryLoadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The file that could not be loaded. */
  @SuppressWarnings("serial") // Path is not serializable; this exception is not meant to travel
  private final Path file;

  /** The line at fault, from 1. */
  private final int line;

  /** The key on that line, or null if the line has none. */
  private final @Nullable String key;

  RegistryLoadException(
      Path file, int line, @Nullable String key, String problem, @Nullable Throwable cause) {
    super(file + ":" + line + ": " + (key == null ? "" : "key '" + key + "': ") + problem, cause);
    this.file = file;
    this.line = line;
    this.key = key;
  }

  /**
   * Returns the file that could not be loaded.
   *
   * @return the file
   */
  public Path file() {
    return file;
  }

  /**
   * Returns the line at fault, from 1.
   *
   * @return the line number
   */
  public int line() {
    return line;
  }

  /**
   * Returns the key on the line at fault, or null if the line has none.
   *
   * @return the key's name, or null
   */
  public @Nullable String key() {
    return key;
  }
}
