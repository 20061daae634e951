package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link Rollout}: a percentage switch that admits the same keys everywhere, moved at run time. */
class RolloutTest {

  // ---------------------------------------------------------------- the hash, pinned

  @Test
  void point_isPinned_soThatAChangeOfTheAlgorithmFails() {
    // Reproduced independently from the javadoc's description (in Python); never change these:
    // every running rollout would move its users from one arm to the other.
    assertThat(Rollout.point("new-checkout", "u-42")).isEqualTo(0.9689770512459124);
    assertThat(Rollout.point("new-checkout", "u-7")).isEqualTo(0.6676580765634164);
    assertThat(Rollout.point("new-checkout", "alice@example.com")).isEqualTo(0.6214105372843461);
    assertThat(Rollout.point("new-search", "u-42")).isEqualTo(0.5637732716142728);
    assertThat(Rollout.point("new-checkout", "")).isEqualTo(0.331754190015094);
    assertThat(Rollout.point("new-checkout", "é€😀")).isEqualTo(0.6453098568658553);
  }

  @Test
  void admit_comparesThePointTimes100WithThePercentage() {
    Rollout r = Rollout.of("new-checkout", 96.89770512459124);
    assertThat(r.admit("u-42")).as("point * 100 == percent is out").isFalse();
    r.percent(96.89770512459125);
    assertThat(r.admit("u-42")).isTrue();
    r.percent(20);
    assertThat(r.admit("u-4")).as("17.5").isTrue();
    assertThat(r.admit("u-19")).as("4.3").isTrue();
    assertThat(r.admit("u-42")).isFalse();
  }

  @Test
  void zeroAdmitsNobody_andHundredEverybody() {
    Rollout none = Rollout.of("new-checkout", 0);
    Rollout all = Rollout.of("new-checkout", 100);
    for (int i = 0; i < 10_000; i++) {
      assertThat(none.admit("u-" + i)).isFalse();
      assertThat(all.admit("u-" + i)).isTrue();
    }
    assertThat(Rollout.of("x", -0.0)).hasToString("Rollout[name=x, percent=0.0, tripped=false]");
    assertThat(all.name()).isEqualTo("new-checkout");
  }

  @Test
  void twoRolloutsOfOneName_admitExactlyTheSameKeys() {
    Rollout here = Rollout.of("new-checkout", 37.5);
    Rollout there = Rollout.of("new-checkout", 37.5);
    int admitted = 0;
    for (int i = 0; i < 20_000; i++) {
      String key = "user-" + i;
      assertThat(there.admit(key)).as(key).isEqualTo(here.admit(key));
      admitted += here.admit(key) ? 1 : 0;
    }
    assertThat(admitted).isBetween(1, 19_999);
  }

  @Test
  void raisingThePercentage_keepsEveryAdmittedKey_andLoweringOnlyRemoves() {
    Rollout r = Rollout.of("new-checkout", 10);
    List<String> atTen = admittedOf(r, 20_000);
    r.percent(20);
    List<String> atTwenty = admittedOf(r, 20_000);
    r.percent(5);
    List<String> atFive = admittedOf(r, 20_000);

    assertThat(atTwenty).containsAll(atTen).hasSizeGreaterThan(atTen.size());
    assertThat(atTen).containsAll(atFive).hasSizeGreaterThan(atFive.size());
  }

  private static List<String> admittedOf(Rollout r, int keys) {
    List<String> in = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      if (r.admit("user-" + i)) {
        in.add("user-" + i);
      }
    }
    return in;
  }

  // ---------------------------------------------------------------- lists, trip, reset

  @Test
  void allowAndDenyLists_winOverThePercentage_andDenyWinsOverAllow() {
    Rollout r = Rollout.of("new-checkout", 20);
    r.allow("u-42", "u-1", "both");
    r.deny("u-4", "both");

    assertThat(r.admit("u-42")).as("allowed, outside 20 %").isTrue();
    assertThat(r.admit("u-1")).isTrue();
    assertThat(r.admit("u-4")).as("denied, inside 20 %").isFalse();
    assertThat(r.admit("both")).as("deny wins").isFalse();
    assertThat(r.admit("u-19")).as("by the percentage").isTrue();
    assertThat(r.allowList()).containsExactlyInAnyOrder("u-42", "u-1", "both");
    assertThat(r.denyList()).containsExactlyInAnyOrder("u-4", "both");

    r.allow();
    r.deny("u-42", "u-42");
    assertThat(r.allowList()).isEmpty();
    assertThat(r.denyList()).containsExactly("u-42");
    assertThat(r.admit("u-4")).isTrue();
  }

  @Test
  void theLists_areCopies() {
    Rollout r = Rollout.of("new-checkout", 0);
    String[] keys = {"u-1"};
    r.allow(keys);
    keys[0] = "u-2";
    assertThat(r.admit("u-1")).isTrue();
    assertThat(r.admit("u-2")).isFalse();
    assertThatThrownBy(() -> r.allowList().add("u-3"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void trip_refusesEveryKey_allowListIncluded_andResetRestoresPercentageAndLists() {
    Rollout r = Rollout.of("new-checkout", 100);
    r.allow("vip");
    r.trip();

    assertThat(r.isTripped()).isTrue();
    assertThat(r.admit("vip")).isFalse();
    assertThat(r.admit("u-1")).isFalse();
    assertThat(r).hasToString("Rollout[name=new-checkout, percent=100.0, tripped=true]");

    r.reset();
    assertThat(r.isTripped()).isFalse();
    assertThat(r.admit("vip")).isTrue();
    assertThat(r.admit("u-1")).isTrue();
    assertThat(r.percent()).isEqualTo(100.0);
    assertThat(r.allowList()).containsExactly("vip");
  }

  // ---------------------------------------------------------------- counts

  @Test
  void counts_tellTheAdmittedAndRefusedKeys_ofAdmitAndTheVerbs_acrossResets() {
    Rollout r = Rollout.of("new-checkout", 20);
    r.admit("u-4");
    r.admit("u-42");
    r.admit("u-1");
    r.choose("u-19", () -> "B", () -> "A");
    assertThatThrownBy(() -> r.run("u-42", () -> {})).isInstanceOf(RolloutRefusedException.class);
    r.trip();
    r.admit("u-4");
    r.reset();

    assertThat(r.admitted()).isEqualTo(2);
    assertThat(r.refused()).isEqualTo(4);
    assertThat(r.counts()).isEqualTo(new Rollout.Counts(2, 4));
  }

  // ---------------------------------------------------------------- listeners

  @Test
  void listeners_areToldOfEveryChange_afterIt_andAThrowingOneDoesNotStopTheOthers() {
    Rollout r = Rollout.of("new-checkout", 10);
    List<Rollout.Change> told = new ArrayList<>();
    List<Double> seenByListener = new ArrayList<>();
    r.onChange(
            c -> {
              throw new IllegalStateException("a broken listener");
            })
        .onChange(told::add)
        .onChange(c -> seenByListener.add(r.percent()));

    r.percent(20);
    r.percent(20); // no change, not told
    r.allow("vip");
    r.deny("u-1");
    r.trip();
    r.trip(); // already tripped
    r.reset();
    r.reset(); // not tripped

    assertThat(told)
        .containsExactly(
            new Rollout.Change("new-checkout", Rollout.Kind.PERCENT, 10, 20, false),
            new Rollout.Change("new-checkout", Rollout.Kind.ALLOW, 20, 20, false),
            new Rollout.Change("new-checkout", Rollout.Kind.DENY, 20, 20, false),
            new Rollout.Change("new-checkout", Rollout.Kind.TRIP, 20, 20, true),
            new Rollout.Change("new-checkout", Rollout.Kind.RESET, 20, 20, false));
    assertThat(seenByListener).as("told after the change").first().isEqualTo(20.0);
    assertThat(told.get(0))
        .hasToString("Rollout 'new-checkout' PERCENT 10.0 -> 20.0 (tripped=false)");
  }

  @Test
  void aListener_runsOnTheThreadThatMadeTheChange() {
    Rollout r = Rollout.of("new-checkout", 10);
    List<Thread> threads = new ArrayList<>();
    r.onChange(c -> threads.add(Thread.currentThread()));
    r.percent(15);
    assertThat(threads).containsExactly(Thread.currentThread());
  }

  // ---------------------------------------------------------------- threads

  @Test
  void aPercentageSetOnAnotherThread_isSeenByTheNextAdmit() throws Exception {
    Rollout r = Rollout.of("new-checkout", 0);
    assertThat(r.admit("u-42")).isFalse();
    CountDownLatch set = new CountDownLatch(1);
    Thread operator =
        new Thread(
            () -> {
              r.percent(100);
              set.countDown();
            },
            "operator");
    operator.start();

    assertThat(set.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(r.admit("u-42")).isTrue();
    operator.join(10_000);
    assertThat(operator.isAlive()).isFalse();
  }

  @Test
  void changesFromTwoThreadsAtOnce_areBothKept() throws Exception {
    Rollout r = Rollout.of("new-checkout", 10);
    CountDownLatch start = new CountDownLatch(1);
    Thread lists =
        new Thread(
            () -> {
              awaitQuietly(start);
              for (int i = 0; i < 1_000; i++) {
                r.allow("a-" + i);
              }
            });
    lists.start();
    start.countDown();
    for (int i = 0; i < 1_000; i++) {
      r.percent(i % 100);
    }
    lists.join(10_000);

    assertThat(lists.isAlive()).isFalse();
    assertThat(r.allowList()).containsExactly("a-999");
    assertThat(r.percent()).isEqualTo(99.0);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  // ---------------------------------------------------------------- verbs

  @Test
  void verbs_runTheWorkForAnAdmittedKey_andRefuseTheOthersWithoutRunningIt() throws Exception {
    Rollout r = Rollout.of("new-checkout", 20);
    AtomicInteger ran = new AtomicInteger();

    assertThat(r.call("u-4", () -> ran.incrementAndGet())).isEqualTo(1);
    assertThat(r.get("u-4", () -> ran.incrementAndGet())).isEqualTo(2);
    r.run("u-4", ran::incrementAndGet);
    Function<String, String> greet = r.decorateFunction(key -> "hello " + key);
    assertThat(greet.apply("u-19")).isEqualTo("hello u-19");

    RolloutRefusedException refused =
        catchThrowableOfType(
            RolloutRefusedException.class, () -> r.call("u-42", () -> ran.incrementAndGet()));
    assertThat(refused).hasMessage("Rollout 'new-checkout' refused key 'u-42' (20.0 % admitted)");
    assertThat(refused.name()).isEqualTo("new-checkout");
    assertThat(refused.key()).isEqualTo("u-42");
    assertThat(refused.reason()).isEqualTo("20.0 % admitted");
    assertThatThrownBy(() -> r.get("u-42", ran::incrementAndGet))
        .isInstanceOf(RolloutRefusedException.class);
    assertThatThrownBy(() -> r.run("u-42", ran::incrementAndGet))
        .isInstanceOf(RolloutRefusedException.class);
    assertThatThrownBy(() -> greet.apply("u-42")).isInstanceOf(RolloutRefusedException.class);
    assertThat(ran.get()).isEqualTo(3);
  }

  @Test
  void refusals_sayWhy() {
    Rollout r = Rollout.of("new-checkout", 100);
    r.deny("u-1");
    assertThatThrownBy(() -> r.run("u-1", () -> {}))
        .hasMessage("Rollout 'new-checkout' refused key 'u-1' (on the deny list)");
    r.trip();
    assertThatThrownBy(() -> r.run("u-2", () -> {}))
        .hasMessage("Rollout 'new-checkout' refused key 'u-2' (tripped)");
  }

  @Test
  void theWorksExceptions_passThroughUnchanged() {
    Rollout r = Rollout.of("new-checkout", 100);
    IOException failure = new IOException("disk full");
    assertThatThrownBy(
            () ->
                r.call(
                    "u-1",
                    () -> {
                      throw failure;
                    }))
        .isSameAs(failure);
  }

  @Test
  void choose_runsExactlyOneSupplier_theAdmittedOneForTheTreatment() {
    Rollout r = Rollout.of("new-checkout", 20);
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    Supplier<String> treatment = () -> "B" + b.incrementAndGet();
    Supplier<String> control = () -> "A" + a.incrementAndGet();

    assertThat(r.choose("u-4", treatment, control)).isEqualTo("B1");
    assertThat(r.choose("u-42", treatment, control)).isEqualTo("A1");
    assertThat(r.choose("u-19", treatment, control)).isEqualTo("B2");
    assertThat(a.get()).isEqualTo(1);
    assertThat(b.get()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void badInput_isRefusedNamingTheParameterAndTheValue() {
    assertThatThrownBy(() -> Rollout.of("x", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percent must be in [0, 100], was NaN");
    assertThatThrownBy(() -> Rollout.of("x", -0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percent must be in [0, 100], was -0.1");
    assertThatThrownBy(() -> Rollout.of("x", 100.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percent must be in [0, 100], was 100.1");
    Rollout r = Rollout.of("x", 10);
    assertThatThrownBy(() -> r.percent(120))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percent must be in [0, 100], was 120.0");
    assertThat(r.percent()).isEqualTo(10.0);
    assertThatThrownBy(() -> Rollout.of(" ", 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Rollout.of(null, 10))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> r.admit(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key must not be null");
    assertThatThrownBy(() -> r.run(null, () -> {})).hasMessage("key must not be null");
    assertThatThrownBy(() -> r.choose(null, () -> 1, () -> 2)).hasMessage("key must not be null");
    assertThatThrownBy(() -> Rollout.point("x", null)).hasMessage("key must not be null");
    assertThatThrownBy(() -> r.allow("a", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("keys[1] must not be null");
    assertThatThrownBy(() -> r.deny((String[]) null)).hasMessage("keys must not be null");
    assertThatThrownBy(() -> r.run("a", null)).hasMessage("work must not be null");
    assertThatThrownBy(() -> r.onChange(null)).hasMessage("listener must not be null");
    assertThat(r.allowList()).isEmpty();
    assertThat(r.counts()).isEqualTo(new Rollout.Counts(0, 0));
  }

  // ---------------------------------------------------------------- on the board

  @Test
  void board_createsARolloutOnFirstUse_andReturnsTheSameOneAfterwards() {
    Breakers board = Breakers.create();
    Rollout r = board.rollout("new-checkout", 20);
    r.percent(50); // moved by an operator

    assertThat(board.rollout("new-checkout", 20)).isSameAs(r);
    assertThat(board.rollouts()).containsOnlyKeys("new-checkout").containsValue(r);
    assertThatThrownBy(() -> board.rollout("new-checkout", 30))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rollout 'new-checkout' was created at 20.0 %, was asked for 30.0 %");
    assertThatThrownBy(() -> board.rollout("new-checkout", Double.NaN))
        .hasMessage("percent must be in [0, 100], was NaN");
    assertThatThrownBy(() -> board.rollout(" ", 1)).hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> board.rollout(null, 1)).hasMessage("name must not be null");
    assertThat(board)
        .hasToString("Breakers[breakers={}, limiters=[], rollouts={new-checkout=50.0}]");
  }

  @Test
  void board_tripAllAndResetAll_leaveRolloutsAlone() {
    Breakers board = Breakers.create();
    Rollout r = board.rollout("new-checkout", 20);
    Breaker fuse = board.breaker("new-search");
    r.trip();

    board.resetAll();
    assertThat(r.isTripped()).isTrue();
    r.reset();
    board.tripAll();
    assertThat(fuse.isClosed()).isFalse();
    assertThat(r.isTripped()).isFalse();
  }

  // ---------------------------------------------------------------- cost

  @Test
  void admit_allocatesNothing() throws Exception {
    Rollout r = Rollout.of("new-checkout", 20);
    r.allow("vip", "u-42");
    r.deny("u-4", "banned");
    String[] keys = {"u-4", "u-42", "u-19", "u-1", "vip", "banned", "alice@example.com"};
    Supplier<String> treatment = () -> "B";
    Supplier<String> control = () -> "A";
    int in = 0;
    for (int i = 0; i < 20_000; i++) {
      in += r.admit(keys[i % keys.length]) ? 1 : 0;
      in += r.choose(keys[i % keys.length], treatment, control).length();
    }
    BreakerCostTest.allocatedBytes();
    long before = BreakerCostTest.allocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      in += r.admit(keys[i % keys.length]) ? 1 : 0;
      in += r.choose(keys[i % keys.length], treatment, control).length();
    }
    long allocated = BreakerCostTest.allocatedBytes() - before;

    // One allocation per call would be at least 3.2 MB; allow for the measurement's own.
    assertThat(allocated).isLessThan(10_000);
    assertThat(in).isPositive();
    assertThat(r.counts().admitted() + r.counts().refused()).isEqualTo(240_000);
  }
}
