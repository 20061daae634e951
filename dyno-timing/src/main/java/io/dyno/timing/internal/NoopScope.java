package io.dyno.timing.internal;

import io.dyno.timing.Timing;

/** The scope of activating the no-op timing when no timing is current: closing it does nothing. */
enum NoopScope implements Timing.Scope {
  INSTANCE;

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "Scope (no-op)";
  }
}
