package io.dyno.cache.internal;

/**
 * A count-min sketch of 4-bit counters that estimates how often each key was read recently: the
 * frequency half of TinyLFU (Einhorn, Friedman, Manes, 2017), after Caffeine's.
 *
 * <p>Each key has four counters, one in each of four table words picked by four hashes; its
 * estimate is the smallest of them, so collisions only ever over-estimate. Counters stop at 15, and
 * after {@code 10 × width} increments every counter is halved, so that old popularity fades.
 *
 * <p>Readers increment without a lock. The read-modify-write of a word can race with another and
 * lose an increment, which only makes an estimate slightly low; a saturated counter is never
 * written, so a hot key's reads stop writing shared memory at all.
 */
public final class FrequencySketch {

  private static final long[] SEEDS = {
    0xc3a5c85c97cb3127L, 0xb492b66fbe98f273L, 0x9ae16a3b2f90404fL, 0xcbf29ce484222325L
  };
  private static final long RESET_MASK = 0x7777777777777777L;

  private final long[] table;
  private final int mask;
  private final int sampleSize;
  private int additions;

  /** How many times the counters have been halved; read without a lock, like the counters. */
  private int generation;

  /**
   * Creates a sketch sized for {@code maximumSize} keys.
   *
   * @param maximumSize the cache's bound
   */
  public FrequencySketch(long maximumSize) {
    int width = Integer.highestOneBit((int) Math.max(2, Math.min(maximumSize, 1L << 24)) - 1) << 1;
    this.table = new long[width];
    this.mask = width - 1;
    this.sampleSize = 10 * width;
  }

  /**
   * Returns the estimated recent reads of the key with this hash, 0 to 15.
   *
   * @param hash the key's hash code
   * @return the estimate
   */
  public int frequency(int hash) {
    int h = spread(hash);
    int start = (h & 3) << 2;
    int min = 15;
    for (int i = 0; i < 4; i++) {
      int count = (int) ((table[indexOf(h, i)] >>> ((start + i) << 2)) & 0xfL);
      min = Math.min(min, count);
    }
    return min;
  }

  /**
   * Counts one read of the key with this hash.
   *
   * @param hash the key's hash code
   * @return whether any of the key's counters grew; false when all four were saturated
   */
  public boolean increment(int hash) {
    int h = spread(hash);
    int start = (h & 3) << 2;
    boolean added = false;
    for (int i = 0; i < 4; i++) {
      added |= incrementAt(indexOf(h, i), start + i);
    }
    if (added && ++additions >= sampleSize) {
      reset();
    }
    return added;
  }

  /**
   * Returns how many times the counters have been halved. Between two halvings counters only grow,
   * so a key whose counters were all saturated stays saturated until this number changes.
   *
   * @return the halving count
   */
  public int generation() {
    return generation;
  }

  private boolean incrementAt(int i, int j) {
    int offset = j << 2;
    long counterMask = 0xfL << offset;
    long word = table[i];
    if ((word & counterMask) != counterMask) {
      table[i] = word + (1L << offset);
      return true;
    }
    return false;
  }

  /** Halves every counter: the aging that lets yesterday's popular keys make room. */
  private void reset() {
    for (int i = 0; i < table.length; i++) {
      table[i] = (table[i] >>> 1) & RESET_MASK;
    }
    additions >>>= 1;
    generation++;
  }

  private int indexOf(int h, int i) {
    long hash = (h + SEEDS[i]) * SEEDS[i];
    hash += hash >>> 32;
    return ((int) hash) & mask;
  }

  private static int spread(int x) {
    x = ((x >>> 16) ^ x) * 0x45d9f3b;
    x = ((x >>> 16) ^ x) * 0x45d9f3b;
    return (x >>> 16) ^ x;
  }
}
