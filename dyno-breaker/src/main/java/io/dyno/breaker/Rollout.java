package io.dyno.breaker;

import io.dyno.breaker.internal.Names;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A switch that admits a chosen share of callers, each identified by a key (a user id, an account,
 * a session), always the same callers: on every instance of the application, across restarts, for
 * as long as the percentage stays. An operator moves the percentage at run time, and raising it
 * only adds keys: a caller once admitted stays admitted.
 *
 * <pre>{@code
 * Rollout newCheckout = Rollout.of("new-checkout", 20); // 20 % of the users see it
 * Page page =
 *     newCheckout.choose(userId, () -> checkout.renderNew(order), () -> checkout.renderOld(order));
 * newCheckout.percent(50); // from an admin endpoint: half of them, the first 20 % included
 * newCheckout.trip(); // nobody, until reset()
 * }</pre>
 *
 * <p><b>Who is admitted</b>, by these rules in this order:
 *
 * <ol>
 *   <li>a {@linkplain #trip() tripped} rollout admits nobody, the allow list included;
 *   <li>a key on the {@linkplain #deny deny list} is refused (a key on both lists is refused: the
 *       deny list wins);
 *   <li>a key on the {@linkplain #allow allow list} is admitted;
 *   <li>any other key is admitted if and only if {@code point(name, key) * 100 < percent}, computed
 *       in IEEE 754 double arithmetic, where {@link #point} maps the key to a point in {@code [0,
 *       1)} as described there. So 0 admits nobody and 100 everybody, and a key admitted at some
 *       percentage is admitted at every higher one.
 * </ol>
 *
 * <p>The point of a key depends on the rollout's name too, so two rollouts of different names split
 * the keys independently: a user in the first 10 % of one is no more likely to be in the first 10 %
 * of another. Two rollouts of the same name, in one process or in several, split them alike.
 *
 * <p><b>Cost.</b> {@link #admit} takes no lock and allocates nothing: it reads one volatile field
 * (an immutable snapshot of the percentage, the lists and whether the rollout is tripped), hashes
 * the key's characters once, and adds one to a striped counter ({@link LongAdder}).
 *
 * <p><b>Changes</b> ({@link #percent(double)}, {@link #allow}, {@link #deny}, {@link #trip()},
 * {@link #reset()}) take effect for the next call on any thread. Each one that changes something is
 * logged on the {@code io.dyno.breaker} logger (WARN for a trip, INFO otherwise) and then told to
 * every {@linkplain #onChange listener}, on the thread that made it. A listener that throws is
 * logged at WARN and the other listeners are still told. Changes made by two threads at once are
 * both kept, and may be told in either order.
 *
 * <p>Thread-safe.
 */
public final class Rollout {

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.breaker");

  /** Multiplier of each step of the character fold: 2<sup>64</sup> divided by the golden ratio. */
  private static final long FOLD = 0x9E3779B97F4A7C15L;

  /** The state of the fold before the name's first character. */
  private static final long SEED = 0x243F6A8885A308D3L;

  /** 2<sup>-53</sup>: turns the top 53 bits of a hash into a double in [0, 1). */
  private static final double UNIT = 0x1.0p-53;

  /** What changed, in a {@link Change}. */
  public enum Kind {
    /** The percentage was set by {@link Rollout#percent(double)}. */
    PERCENT,
    /** The allow list was replaced by {@link Rollout#allow}. */
    ALLOW,
    /** The deny list was replaced by {@link Rollout#deny}. */
    DENY,
    /** The rollout was tripped by {@link Rollout#trip()}. */
    TRIP,
    /** The rollout was reset by {@link Rollout#reset()}. */
    RESET
  }

  /**
   * A change of a rollout, passed to its {@linkplain Rollout#onChange listeners} once, after it was
   * made, on the thread that made it.
   *
   * @param name the rollout's name
   * @param kind what changed
   * @param percentBefore the percentage before the change
   * @param percentAfter the percentage after it (the same as before unless {@code kind} is {@link
   *     Kind#PERCENT})
   * @param tripped whether the rollout is tripped after the change
   */
  public record Change(
      String name, Kind kind, double percentBefore, double percentAfter, boolean tripped) {

    /**
     * Returns {@code Rollout 'new-checkout' PERCENT 10.0 -> 20.0 (tripped=false)}.
     *
     * @return the description
     */
    @Override
    public String toString() {
      return "Rollout '"
          + name
          + "' "
          + kind
          + " "
          + percentBefore
          + " -> "
          + percentAfter
          + " (tripped="
          + tripped
          + ")";
    }
  }

  /**
   * How many keys a rollout has admitted and refused since it was created.
   *
   * @param admitted the keys admitted
   * @param refused the keys refused
   */
  public record Counts(long admitted, long refused) {}

  /** An immutable snapshot of what decides: read once per call. */
  private record State(double percent, Set<String> allow, Set<String> deny, boolean tripped) {}

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Rollout.class, "state", State.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int ADMITTED = 0;
  private static final int TRIPPED = 1;
  private static final int DENIED = 2;
  private static final int OUTSIDE = 3;

  private final String name;
  private final long salt;
  private final double initialPercent;
  private volatile State state;
  private final LongAdder admitted = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final List<Consumer<? super Change>> listeners = new CopyOnWriteArrayList<>();

  private Rollout(String name, double percent) {
    this.name = name;
    this.salt = salt(name);
    this.initialPercent = percent;
    this.state = new State(percent, Set.of(), Set.of(), false);
  }

  /**
   * Returns a rollout that admits {@code percent} % of the keys, with empty allow and deny lists.
   *
   * @param name the name, not blank; it salts the point of every key, so it must be the same on
   *     every instance that should admit the same keys
   * @param percent the share of keys admitted, in {@code [0, 100]}, fractions allowed
   * @return the rollout
   * @throws IllegalArgumentException if {@code name} is blank, or {@code percent} is outside {@code
   *     [0, 100]} or NaN
   */
  public static Rollout of(String name, double percent) {
    return new Rollout(Names.require(name, "name"), checkedPercent(percent));
  }

  // ---------------------------------------------------------------- the hash

  /**
   * Returns the point of {@code key} in the rollout named {@code name}: a number in {@code [0, 1)},
   * the same on every JVM and across restarts, which {@link #admit} compares with the percentage.
   * Use it to tell where a given user stands, or to check another implementation.
   *
   * <p>The algorithm, in unsigned 64-bit arithmetic modulo 2<sup>64</sup>, where {@code rotl(x, r)}
   * rotates left by {@code r} bits and {@code >>>} shifts right filling with zeros:
   *
   * <pre>
   * fold(h, s):   for each UTF-16 code unit c of s, in order:
   *                 h = rotl((h XOR c) * 0x9E3779B97F4A7C15, 27)
   *               return h
   * fmix64(k):    k ^= k >>> 33; k *= 0xFF51AFD7ED558CCD; k ^= k >>> 33;
   *               k *= 0xC4CEB9FE1A85EC53; k ^= k >>> 33; return k   (MurmurHash3's finaliser)
   * salt(name)  = fmix64(fold(0x243F6A8885A308D3, name) XOR length(name))
   * h           = fmix64(fold(salt(name), key) XOR length(key))
   * point       = (h >>> 11) * 2^-53
   * </pre>
   *
   * <p>Lengths count UTF-16 code units, as Java's {@link String#length()} and JavaScript's {@code
   * length} do; {@code (h >>> 11) * 2^-53} is exact in a double. For example {@code
   * point("new-checkout", "u-42")} is {@code 0.9689770512459124} ({@code 0x1.f01dc29359f6ap-1}), so
   * the rollout {@code new-checkout} admits {@code u-42} at every percentage above {@code
   * 96.89770512459124}.
   *
   * @param name the rollout's name
   * @param key the key
   * @return the key's point, {@code >= 0} and {@code < 1}
   */
  public static double point(String name, String key) {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(key, "key must not be null");
    return pointOf(salt(name), key);
  }

  private static long salt(String name) {
    return fmix64(fold(SEED, name) ^ name.length());
  }

  private static double pointOf(long salt, String key) {
    long h = fmix64(fold(salt, key) ^ key.length());
    return (h >>> 11) * UNIT;
  }

  private static long fold(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h = Long.rotateLeft((h ^ s.charAt(i)) * FOLD, 27);
    }
    return h;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xFF51AFD7ED558CCDL;
    k ^= k >>> 33;
    k *= 0xC4CEB9FE1A85EC53L;
    k ^= k >>> 33;
    return k;
  }

  // ---------------------------------------------------------------- admission

  /**
   * Returns whether {@code key} is admitted, by the rules in the class description, and counts the
   * answer in {@link #admitted()} or {@link #refused()}. Takes no lock and allocates nothing.
   *
   * @param key who asks, such as a user id
   * @return true if the key is in
   */
  public boolean admit(String key) {
    Objects.requireNonNull(key, "key must not be null");
    return decide(state, key) == ADMITTED;
  }

  /** Decides for {@code key} on one snapshot, and counts the answer. */
  private int decide(State s, String key) {
    int verdict;
    if (s.tripped) {
      verdict = TRIPPED;
    } else if (s.deny.contains(key)) {
      verdict = DENIED;
    } else if (s.allow.contains(key) || pointOf(salt, key) * 100 < s.percent) {
      verdict = ADMITTED;
    } else {
      verdict = OUTSIDE;
    }
    (verdict == ADMITTED ? admitted : refused).increment();
    return verdict;
  }

  /** Decides for {@code key}, and throws the refusal if it is not admitted. */
  private void admitOrThrow(String key) {
    Objects.requireNonNull(key, "key must not be null");
    State s = state;
    int verdict = decide(s, key);
    if (verdict != ADMITTED) {
      String reason =
          verdict == TRIPPED
              ? "tripped"
              : verdict == DENIED ? "on the deny list" : s.percent + " % admitted";
      throw new RolloutRefusedException(name, key, reason);
    }
  }

  // ---------------------------------------------------------------- verbs

  /**
   * Calls {@code work} if {@code key} is admitted.
   *
   * @param key who asks
   * @param work the work
   * @param <T> the result type
   * @return the work's result
   * @throws RolloutRefusedException if the key is refused; the work did not run
   * @throws Exception what the work threw, unchanged
   */
  public <T> T call(String key, Callable<T> work) throws Exception {
    Objects.requireNonNull(work, "work must not be null");
    admitOrThrow(key);
    return work.call();
  }

  /**
   * Gets a value from {@code work} if {@code key} is admitted.
   *
   * @param key who asks
   * @param work the work
   * @param <T> the result type
   * @return the work's result
   * @throws RolloutRefusedException if the key is refused; the work did not run
   */
  public <T> T get(String key, Supplier<T> work) {
    Objects.requireNonNull(work, "work must not be null");
    admitOrThrow(key);
    return work.get();
  }

  /**
   * Runs {@code work} if {@code key} is admitted.
   *
   * @param key who asks
   * @param work the work
   * @throws RolloutRefusedException if the key is refused; the work did not run
   */
  public void run(String key, Runnable work) {
    Objects.requireNonNull(work, "work must not be null");
    admitOrThrow(key);
    work.run();
  }

  /**
   * Returns {@code work} wrapped so that it runs only for admitted keys: its argument is the key.
   *
   * @param work the work, applied to the key
   * @param <T> the result type
   * @return a function that throws {@link RolloutRefusedException} for a refused key, without
   *     running {@code work}
   */
  public <T> Function<String, T> decorateFunction(Function<? super String, ? extends T> work) {
    Objects.requireNonNull(work, "work must not be null");
    return key -> {
      admitOrThrow(key);
      return work.apply(key);
    };
  }

  /**
   * Runs exactly one of two suppliers: {@code admitted} if {@code key} is admitted, {@code refused}
   * otherwise. In an A/B test, {@code admitted} is B, the treatment, and {@code refused} is A, the
   * control.
   *
   * @param key who asks
   * @param admitted the work for an admitted key, the treatment
   * @param refused the work for a refused key, the control
   * @param <T> the result type
   * @return what the supplier that ran returned
   */
  public <T> T choose(String key, Supplier<? extends T> admitted, Supplier<? extends T> refused) {
    Objects.requireNonNull(admitted, "admitted must not be null");
    Objects.requireNonNull(refused, "refused must not be null");
    return admit(key) ? admitted.get() : refused.get();
  }

  // ---------------------------------------------------------------- changes

  /**
   * Sets the share of keys admitted, for the next call on any thread. Raising it keeps every key
   * admitted so far; lowering it only removes keys.
   *
   * @param percent in {@code [0, 100]}, fractions allowed
   * @throws IllegalArgumentException if {@code percent} is outside {@code [0, 100]} or NaN
   */
  public void percent(double percent) {
    double p = checkedPercent(percent);
    change(Kind.PERCENT, s -> new State(p, s.allow, s.deny, s.tripped));
  }

  /**
   * Replaces the allow list: keys admitted whatever the percentage, unless they are also on the
   * deny list or the rollout is tripped. With no keys, empties it.
   *
   * @param keys the keys, copied
   * @throws NullPointerException naming the element, as {@code keys[1] must not be null}
   */
  public void allow(String... keys) {
    Set<String> allow = copied(keys);
    change(Kind.ALLOW, s -> new State(s.percent, allow, s.deny, s.tripped));
  }

  /**
   * Replaces the deny list: keys refused whatever the percentage and the allow list. With no keys,
   * empties it.
   *
   * @param keys the keys, copied
   * @throws NullPointerException naming the element, as {@code keys[1] must not be null}
   */
  public void deny(String... keys) {
    Set<String> deny = copied(keys);
    change(Kind.DENY, s -> new State(s.percent, s.allow, deny, s.tripped));
  }

  /**
   * Refuses every key, those on the allow list included, until {@link #reset()}. The percentage and
   * the lists are kept. Does nothing if the rollout is already tripped.
   */
  public void trip() {
    change(Kind.TRIP, s -> new State(s.percent, s.allow, s.deny, true));
  }

  /**
   * Undoes {@link #trip()}: keys are admitted by the percentage and the lists again. Does nothing
   * if the rollout is not tripped.
   */
  public void reset() {
    change(Kind.RESET, s -> new State(s.percent, s.allow, s.deny, false));
  }

  /**
   * Adds a listener told of every change that changes something: a percentage, a list, a trip, a
   * reset. It runs after the change, on the thread that made it; one that throws is logged at WARN
   * on the {@code io.dyno.breaker} logger, and the other listeners are still told.
   *
   * @param listener the listener
   * @return this rollout
   */
  public Rollout onChange(Consumer<? super Change> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
    return this;
  }

  private void change(Kind kind, Function<State, State> update) {
    State before;
    State after;
    do {
      before = state;
      after = update.apply(before);
      if (after.equals(before)) {
        return;
      }
    } while (!STATE.compareAndSet(this, before, after));
    Change c = new Change(name, kind, before.percent, after.percent, after.tripped);
    if (kind == Kind.TRIP) {
      LOG.warn("{}", c);
    } else {
      LOG.info("{}", c);
    }
    for (Consumer<? super Change> listener : listeners) {
      try {
        listener.accept(c);
      } catch (RuntimeException e) {
        LOG.warn("Rollout '{}': onChange listener {} failed", name, listener, e);
      }
    }
  }

  static double checkedPercent(double percent) {
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException("percent must be in [0, 100], was " + percent);
    }
    return percent + 0.0; // -0.0 becomes 0.0
  }

  private static Set<String> copied(String[] keys) {
    Objects.requireNonNull(keys, "keys must not be null");
    for (int i = 0; i < keys.length; i++) {
      Objects.requireNonNull(keys[i], "keys[" + i + "] must not be null");
    }
    return Set.copyOf(Arrays.asList(keys));
  }

  // ---------------------------------------------------------------- reading

  /**
   * Returns the name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the share of keys admitted now, as last set.
   *
   * @return the percentage, in {@code [0, 100]}
   */
  public double percent() {
    return state.percent;
  }

  /** The percentage the rollout was created with, which a board compares when asked again. */
  double initialPercent() {
    return initialPercent;
  }

  /**
   * Returns the allow list now.
   *
   * @return an unmodifiable set
   */
  public Set<String> allowList() {
    return state.allow;
  }

  /**
   * Returns the deny list now.
   *
   * @return an unmodifiable set
   */
  public Set<String> denyList() {
    return state.deny;
  }

  /**
   * Returns whether the rollout is tripped: it refuses every key until {@link #reset()}.
   *
   * @return true if tripped
   */
  public boolean isTripped() {
    return state.tripped;
  }

  /**
   * Returns how many keys were admitted since the rollout was created, by {@link #admit} and the
   * verbs; a reset does not clear it.
   *
   * @return the count
   */
  public long admitted() {
    return admitted.sum();
  }

  /**
   * Returns how many keys were refused since the rollout was created, by {@link #admit} and the
   * verbs; a reset does not clear it.
   *
   * @return the count
   */
  public long refused() {
    return refused.sum();
  }

  /**
   * Returns both counts. Read while keys are being decided, the two are not one instant's: each is
   * exact for the calls that ended before it was read.
   *
   * @return the counts
   */
  public Counts counts() {
    return new Counts(admitted.sum(), refused.sum());
  }

  /**
   * Returns {@code Rollout[name=new-checkout, percent=20.0, tripped=false]}: the name, the
   * percentage now and whether it is tripped.
   *
   * @return the description
   */
  @Override
  public String toString() {
    State s = state;
    return "Rollout[name=" + name + ", percent=" + s.percent + ", tripped=" + s.tripped + "]";
  }
}
