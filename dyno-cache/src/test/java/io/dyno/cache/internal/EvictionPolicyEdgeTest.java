package io.dyno.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The eviction policy's contract with the cache, seen through its own methods: which nodes an
 * admission or a clean-up removes, and what it leaves alone (nodes being computed, nodes without a
 * value, retired nodes).
 */
class EvictionPolicyEdgeTest {

  private static final long TTL = 1_000;

  private final ConcurrentHashMap<String, Node<String, String>> map = new ConcurrentHashMap<>();

  /** A node in the map with a value computed at {@code loadedAt}, live for {@link #TTL}. */
  private Node<String, String> node(String key, long loadedAt) {
    Node<String, String> node = new Node<>(key);
    node.setValue(new Stamped<>("v" + key, loadedAt, loadedAt + TTL, loadedAt + TTL, 0));
    map.put(key, node);
    return node;
  }

  private static void read(EvictionPolicy<String, String> policy, String key, int times) {
    for (int i = 0; i < times; i++) {
      policy.recordMiss(key.hashCode());
    }
  }

  @Test
  void anUnboundedPolicy_countsNoReads() {
    EvictionPolicy<String, String> policy = new EvictionPolicy<>(map, Long.MAX_VALUE);
    read(policy, "k", 3);
    Node<String, String> node = node("k", 0);
    policy.admit(node, 0);
    policy.recordHit(node);

    assertThat(policy.frequency("k".hashCode())).isZero();
  }

  @Test
  void aBoundedPolicy_countsMissesAndHits() {
    EvictionPolicy<String, String> policy = new EvictionPolicy<>(map, 10);
    read(policy, "k", 2);
    Node<String, String> node = node("k", 0);
    policy.admit(node, 0);
    policy.recordHit(node);

    assertThat(policy.frequency("k".hashCode())).isEqualTo(3);
  }

  @Test
  void theFirstNodeAdmitted_isAdmitted_untilItIsEvicted() {
    EvictionPolicy<String, String> policy = new EvictionPolicy<>(map, 1);
    Node<String, String> first = node("a", 0);
    assertThat(first.isAdmitted()).isFalse();

    assertThat(policy.admit(first, 0)).isEmpty();
    assertThat(first.isAdmitted()).isTrue();
    assertThat(policy.admit(first, 0)).as("admitted once only").isEmpty();
    assertThat(policy.size()).isEqualTo(1);

    read(policy, "b", 3);
    Node<String, String> second = node("b", 0);
    assertThat(policy.admit(second, 0)).containsExactly(first);
    assertThat(first.isAdmitted()).isFalse();
    assertThat(first.isRetired()).isTrue();
    assertThat(first.expiredWhenRemoved()).isFalse();
    assertThat(second.isAdmitted()).isTrue();
    assertThat(map).containsOnlyKeys("b");
  }

  @Test
  void aRetiredNode_isNeverAdmitted() {
    EvictionPolicy<String, String> policy = new EvictionPolicy<>(map, 10);
    Node<String, String> node = node("a", 0);
    assertThat(node.tryRetire()).isTrue();

    assertThat(policy.admit(node, 0)).isEmpty();

    assertThat(node.isAdmitted()).isFalse();
    assertThat(policy.size()).isZero();
  }

  @Test
  void aNewcomerBeingComputed_thatLosesToTheVictim_staysOverTheBound() {
    // A put from inside the key's own loader: the node has a value and a running computation.
    EvictionPolicy<String, String> policy = new EvictionPolicy<>(map, 1);
    read(policy, "hot", 5);
    Node<String, String> hot = node("hot", 0);
    policy.admit(hot, 0);
    Node<String, String> busy = node("busy", 0);
    Flight<String> computing = Flight.started();
    assertThat(busy.claim(computing)).isTrue();

    assertThat(policy.admit(busy, 0)).isEmpty();

    assertThat(policy.size()).isEqualTo(2);
    assertThat(busy.isRetired()).isFalse();
    assertThat(busy.flight()).isSameAs(computing);
    assertThat(map).containsOnlyKeys("hot", "busy");
  }

  @Test
  void anAdmission_evictsAtMostEightEntries_soACacheOverItsBoundShrinksOverSeveral() {
    EvictionPolicy<String, String> policy = new EvictionPolicy<>(map, 1);
    List<Flight<String>> flights = new ArrayList<>();
    List<Node<String, String>> busy = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Node<String, String> node = node("busy" + i, 0);
      Flight<String> flight = Flight.started();
      node.claim(flight);
      flights.add(flight);
      busy.add(node);
      assertThat(policy.admit(node, 0)).as("nothing can be evicted").isEmpty();
    }
    assertThat(policy.size()).isEqualTo(12);
    for (int i = 0; i < busy.size(); i++) {
      busy.get(i).release(flights.get(i));
    }
    read(policy, "hot", 5);

    assertThat(policy.admit(node("hot", 0), 0)).hasSize(8);
    assertThat(policy.size()).isEqualTo(5);

    read(policy, "hot2", 5);
    assertThat(policy.admit(node("hot2", 0), 0)).hasSize(5);
    assertThat(policy.size()).isEqualTo(1);
  }

  @Test
  void aNewcomerThatTookTheSlotOfAnExpiredEntry_isNotTakenForItsOwnVictim() {
    EvictionPolicy<String, String> policy = new EvictionPolicy<>(map, 2);
    Node<String, String> busy = node("busy", 0);
    Flight<String> busyFlight = Flight.started();
    busy.claim(busyFlight);
    policy.admit(busy, 0);
    Node<String, String> expired = node("expired", -2 * TTL);
    Flight<String> expiredFlight = Flight.started();
    expired.claim(expiredFlight);
    policy.admit(expired, 0);
    Node<String, String> cold = node("cold", 0);
    assertThat(policy.admit(cold, 0)).as("both others are busy").isEmpty();
    expired.release(expiredFlight);
    read(policy, "hot", 5);
    Node<String, String> hot = node("hot", 0);

    // "expired" leaves first, and "hot", the last node, moves into its slot.
    assertThat(policy.admit(hot, 0)).containsExactly(expired, cold);

    assertThat(expired.expiredWhenRemoved()).isTrue();
    assertThat(cold.expiredWhenRemoved()).isFalse();
    assertThat(map).containsOnlyKeys("busy", "hot");
  }

  @Test
  void theSweepOfAnAdmission_passesOverTheNewcomer() {
    EvictionPolicy<String, String> policy = new EvictionPolicy<>(map, Long.MAX_VALUE);
    for (int i = 0; i < 3; i++) {
      policy.admit(node("live" + i, 0), 0);
    }
    for (int i = 0; i < 20; i++) {
      Node<String, String> late = node("late" + i, -2 * TTL); // expired when it arrives
      assertThat(policy.admit(late, 0)).doesNotContain(late);
      assertThat(late.isAdmitted()).isTrue();
    }
  }

  @Test
  void removeExpired_skipsANodeWhoseValueWasDropped_andOneBeingComputed() {
    EvictionPolicy<String, String> policy = new EvictionPolicy<>(map, Long.MAX_VALUE);
    Node<String, String> dropped = node("dropped", 0);
    policy.admit(dropped, 0);
    dropped.clearValue(); // invalidated while being computed; its computation takes it out
    Node<String, String> computing = node("computing", 0);
    policy.admit(computing, 0);
    computing.claim(Flight.started());
    Node<String, String> expired = node("expired", 0);
    policy.admit(expired, 0);

    assertThat(policy.removeExpired(TTL)).containsExactly(expired);

    assertThat(expired.expiredWhenRemoved()).isTrue();
    assertThat(policy.size()).isEqualTo(2);
    assertThat(map).containsOnlyKeys("dropped", "computing");
    assertThat(computing.isRetired()).isFalse();
  }

  @Test
  void removeExpired_abandonsAnEarlyRecomputationNotYetStarted() {
    EvictionPolicy<String, String> policy = new EvictionPolicy<>(map, Long.MAX_VALUE);
    Node<String, String> node = node("k", 0);
    policy.admit(node, 0);
    Flight<String> queued = Flight.pending();
    assertThat(node.claim(queued)).isTrue();
    assertThat(node.isRemovable()).isTrue();

    assertThat(policy.removeExpired(TTL)).containsExactly(node);

    assertThat(node.isRetired()).isTrue();
    assertThat(node.isRemovable()).isFalse();
    assertThat(map).isEmpty();
    assertThat(queued.start()).as("the task, if it runs, does nothing").isFalse();
    Outcome<String> outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), queued::await);
    assertThat(outcome).isSameAs(Abandoned.instance()).hasToString("Abandoned");
  }

  @Test
  void tryRetireUnstarted_takesOnlyAPendingFlight() {
    Node<String, String> free = new Node<>("free");
    assertThat(free.tryRetireUnstarted()).isNull();
    assertThat(free.isRetired()).isFalse();

    Node<String, String> computing = new Node<>("computing");
    computing.claim(Flight.started());
    assertThat(computing.tryRetireUnstarted()).isNull();
    assertThat(computing.isRetired()).isFalse();
    assertThat(computing.isRemovable()).isFalse();

    Node<String, String> retired = new Node<>("retired");
    retired.tryRetire();
    assertThat(retired.tryRetireUnstarted()).isNull();
    assertThat(retired.isRemovable()).isFalse();

    Node<String, String> queued = new Node<>("queued");
    Flight<String> pending = Flight.pending();
    queued.claim(pending);
    assertThat(queued.tryRetireUnstarted()).isSameAs(pending);
    assertThat(queued.isRetired()).isTrue();
    assertThat(queued).hasToString("Node[queued]");
  }
}
