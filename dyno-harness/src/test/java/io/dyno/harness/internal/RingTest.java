package io.dyno.harness.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RingTest {

  @Test
  void snapshot_holdsWhatWasAddedOldestFirst() {
    Ring<Integer> ring = new Ring<>(3);
    assertThat(ring.snapshot()).isEmpty();
    ring.add(1);
    ring.add(2);
    assertThat(ring.snapshot()).containsExactly(1, 2);
  }

  @Test
  void add_dropsTheOldestWhenFull() {
    Ring<Integer> ring = new Ring<>(3);
    for (int i = 1; i <= 7; i++) {
      ring.add(i);
    }
    assertThat(ring.snapshot()).containsExactly(5, 6, 7);
    ring.add(8);
    ring.add(9);
    assertThat(ring.snapshot()).containsExactly(7, 8, 9);
  }

  @Test
  void capacityZero_keepsNothing() {
    Ring<String> ring = new Ring<>(0);
    ring.add("dropped");
    assertThat(ring.snapshot()).isEmpty();
  }

  @Test
  void snapshot_isImmutable() {
    Ring<String> ring = new Ring<>(2);
    ring.add("a");
    List<String> snapshot = ring.snapshot();
    ring.add("b");
    assertThat(snapshot).containsExactly("a");
    assertThatThrownBy(() -> snapshot.add("c")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void negativeCapacity_isRejected() {
    assertThatThrownBy(() -> new Ring<>(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be >= 0, was -1");
  }

  @Test
  void aRingReadOnOneThread_canBeAddedToOnAnother() throws Exception {
    Ring<String> ring = new Ring<>(2);
    ring.add("a");
    assertThat(ring.snapshot()).containsExactly("a");

    List<String> seenThere =
        StormTableEdgeTest.onAnotherThread(
            () -> {
              ring.add("b");
              return ring.snapshot();
            });

    assertThat(seenThere).containsExactly("a", "b");
    assertThat(ring.snapshot()).containsExactly("a", "b");
  }
}
