package io.dyno.examples.shop;

/**
 * A moment of the demo's schedule: something that starts or ends, at a fixed fraction of the run,
 * so that a short run and a long one tell the same story. The incidents that make a dependency fail
 * or slow down, and those that end them, are {@link #chaos() chaos}: the {@link GameDay} plays them
 * by installing and removing chaos filters.
 */
public enum Incident {
  /** The start: every dependency healthy. */
  HEALTHY(0.00, "all dependencies healthy", false),
  /** Payments starts failing every call: its breaker opens and checkouts fall back to pay later. */
  PAYMENTS_DOWN(0.15, "payments failing hard: every call fails", true),
  /** Inventory slows to about 400 ms, past its 150 ms timeout: pages show stock unknown. */
  INVENTORY_SLOW(0.30, "inventory latency spike: ~400 ms against a 150 ms timeout", true),
  /** Payments answers again: the breaker's next half-open trial succeeds and closes it. */
  PAYMENTS_BACK(0.40, "payments recovered; its breaker closes after a trial call", true),
  /** Inventory's latency is back to normal. */
  INVENTORY_BACK(0.50, "inventory latency back to normal", true),
  /** The recommendations provider is replaced in the registry, while pages keep being served. */
  RECOMMENDER_SWAPPED(
      0.50, "recommendations provider swapped in the registry: personalised -> popular", false),
  /** Pricing slows down and fails often; pages keep getting prices from the cache. */
  PRICING_FLAKY(
      0.55, "pricing slow and flaky: ~120 ms, 40% failures; prices come from the cache", true),
  /** The panel's rollout is tripped: the panel is off for everyone, the dependency not called. */
  FEATURE_OFF(
      0.65, "rollout 'recommendations-panel' tripped: the panel is off for every shopper", false),
  /** Pricing is healthy again. */
  PRICING_BACK(0.80, "pricing recovered", true),
  /** The panel's rollout is reset: the panel is back for the same 20 % of shoppers. */
  FEATURE_ON(
      0.85, "rollout 'recommendations-panel' reset: the panel is back for 20 % of shoppers", false);

  private final double at;
  private final String description;
  private final boolean chaos;

  Incident(double at, String description, boolean chaos) {
    this.at = at;
    this.description = description;
    this.chaos = chaos;
  }

  /**
   * Returns whether the incident installs or removes chaos filters: those a run with chaos off
   * skips.
   *
   * @return true for the failures and slowdowns of dependencies, and their ends
   */
  public boolean chaos() {
    return chaos;
  }

  /**
   * Returns when the incident starts, as a fraction of the run.
   *
   * @return a fraction in [0, 1)
   */
  public double at() {
    return at;
  }

  /**
   * Returns one line saying what happens.
   *
   * @return the description
   */
  public String description() {
    return description;
  }
}
