package io.dyno.testing;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

// Tasks are scheduled here for their effect; their futures are read only where a test says so.
@SuppressWarnings("FutureReturnValueIgnored")
class ManualSchedulerTest {

  private final ManualScheduler scheduler = ManualScheduler.create();
  private final FakeTicker ticker = scheduler.ticker();
  private final List<String> ran = new ArrayList<>();

  private Runnable note(String what) {
    return () -> ran.add(what + "@" + ticker.elapsed().toMillis());
  }

  @Test
  void nothingRuns_untilTheTestRunsIt() {
    ScheduledFuture<?> f = scheduler.schedule(note("a"), 10, MILLISECONDS);
    scheduler.execute(note("now"));
    assertThat(ran).isEmpty();
    assertThat(f.isDone()).isFalse();
    assertThat(scheduler.pendingCount()).isEqualTo(2);
    assertThat(scheduler.delays()).containsExactly(Duration.ofMillis(10), Duration.ZERO);
  }

  @Test
  void runNext_movesTimeToTheTaskDueFirst_theEarlierScheduledOnATie() {
    scheduler.schedule(note("late"), 30, MILLISECONDS);
    scheduler.schedule(note("first"), 10, MILLISECONDS);
    scheduler.schedule(note("second"), 10, MILLISECONDS);
    assertThat(scheduler.nextDelay()).contains(Duration.ofMillis(10));
    while (scheduler.runNext()) {
      // all of them
    }
    assertThat(ran).containsExactly("first@10", "second@10", "late@30");
    assertThat(scheduler.runNext()).isFalse();
    assertThat(scheduler.nextDelay()).isEqualTo(Optional.empty());
  }

  @Test
  void runNext_neverMovesTimeBack_forATaskAlreadyDue() {
    scheduler.schedule(note("a"), 10, MILLISECONDS);
    ticker.advance(Duration.ofMillis(50));
    assertThat(scheduler.nextDelay()).contains(Duration.ZERO);
    scheduler.runNext();
    assertThat(ran).containsExactly("a@50");
  }

  @Test
  void advance_runsEachTaskAtItsDueTime_inOrder_includingTasksScheduledOnTheWay() {
    scheduler.schedule(note("b"), 20, MILLISECONDS);
    scheduler.schedule(
        () -> {
          note("a").run();
          scheduler.schedule(note("from-a"), 5, MILLISECONDS);
        },
        10,
        MILLISECONDS);
    scheduler.schedule(note("beyond"), 100, MILLISECONDS);
    assertThat(scheduler.advance(Duration.ofMillis(50))).isEqualTo(3);
    assertThat(ran).containsExactly("a@10", "from-a@15", "b@20");
    assertThat(ticker.elapsed()).isEqualTo(Duration.ofMillis(50));
    assertThat(scheduler.pendingCount()).isEqualTo(1);
  }

  @Test
  void runDue_runsWhatIsDueNow_withoutMovingTime() {
    scheduler.execute(note("a"));
    scheduler.schedule(note("later"), 1, NANOSECONDS);
    scheduler.execute(() -> scheduler.execute(note("chained")));
    assertThat(scheduler.runDue()).isEqualTo(3);
    assertThat(ran).containsExactly("a@0", "chained@0");
    assertThat(ticker.elapsed()).isZero();
  }

  @Test
  void aSchedulerOnATickerNearTheEndOfLong_ordersByDifference() {
    ManualScheduler wrapping = ManualScheduler.on(FakeTicker.startingAt(Long.MAX_VALUE - 5));
    List<String> order = new ArrayList<>();
    wrapping.schedule(() -> order.add("after-wrap"), 10, NANOSECONDS);
    wrapping.schedule(() -> order.add("before-wrap"), 2, NANOSECONDS);
    wrapping.advance(Duration.ofNanos(20));
    assertThat(order).containsExactly("before-wrap", "after-wrap");
  }

  @Test
  void aFixedRateTask_runsEveryPeriod_untilCancelled() {
    ScheduledFuture<?> f = scheduler.scheduleAtFixedRate(note("tick"), 5, 10, MILLISECONDS);
    scheduler.advance(Duration.ofMillis(30));
    assertThat(ran).containsExactly("tick@5", "tick@15", "tick@25");
    assertThat(f.cancel(false)).isTrue();
    scheduler.advance(Duration.ofMillis(30));
    assertThat(ran).hasSize(3);
    assertThat(f.isCancelled()).isTrue();
    assertThatThrownBy(f::get).isInstanceOf(CancellationException.class);
  }

  @Test
  void aFixedDelayTask_isDueTheDelayAfterItsRunEnds() {
    scheduler.scheduleWithFixedDelay(
        () -> {
          note("tick").run();
          ticker.advance(Duration.ofMillis(3)); // the task takes 3 ms
        },
        0,
        10,
        MILLISECONDS);
    scheduler.advance(Duration.ofMillis(30));
    assertThat(ran).containsExactly("tick@0", "tick@13", "tick@26");
  }

  @Test
  void aCallablesResult_andFailure_reachItsFuture() throws Exception {
    ScheduledFuture<String> answer = scheduler.schedule(() -> "done", 1, MILLISECONDS);
    ScheduledFuture<String> broken =
        scheduler.schedule(
            () -> {
              throw new IllegalStateException("boom");
            },
            2,
            MILLISECONDS);
    assertThatThrownBy(() -> answer.get(1, MILLISECONDS)).isInstanceOf(TimeoutException.class);
    scheduler.advance(Duration.ofMillis(5));
    assertThat(answer.get()).isEqualTo("done");
    assertThatThrownBy(broken::get)
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("boom");
  }

  @Test
  void aRunnablesFailure_isThrownToTheTest_andKeptInItsFuture() {
    IllegalStateException boom = new IllegalStateException("boom");
    Runnable failing =
        () -> {
          throw boom;
        };
    ScheduledFuture<?> f = scheduler.schedule(failing, 1, MILLISECONDS);
    assertThatThrownBy(scheduler::runNext).isSameAs(boom);
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasCause(boom);
    assertThat(scheduler.pendingCount()).isZero();
  }

  @Test
  void aFailingPeriodicTask_isNotRunAgain() {
    int[] runs = {0};
    scheduler.scheduleAtFixedRate(
        () -> {
          runs[0]++;
          throw new IllegalStateException("boom");
        },
        0,
        1,
        MILLISECONDS);
    assertThatThrownBy(() -> scheduler.advance(Duration.ofMillis(5))).hasMessage("boom");
    assertThat(scheduler.advance(Duration.ofMillis(5))).isZero();
    assertThat(runs[0]).isEqualTo(1);
  }

  @Test
  void aCancelledTask_neverRuns_andCancellingTwiceFails() {
    ScheduledFuture<?> f = scheduler.schedule(note("a"), 1, MILLISECONDS);
    assertThat(f.cancel(true)).isTrue();
    assertThat(f.cancel(true)).isFalse();
    assertThat(scheduler.advance(Duration.ofMillis(5))).isZero();
    assertThat(ran).isEmpty();
    assertThat(f.isDone()).isTrue();
  }

  @Test
  void delay_andOrder_ofFutures_followTheTicker() {
    ScheduledFuture<?> soon = scheduler.schedule(note("a"), 10, MILLISECONDS);
    ScheduledFuture<?> later = scheduler.schedule(note("b"), 20, MILLISECONDS);
    ticker.advance(Duration.ofMillis(4));
    assertThat(soon.getDelay(MILLISECONDS)).isEqualTo(6);
    assertThat(soon.compareTo(later)).isNegative();
    assertThat(later.compareTo(soon)).isPositive();
  }

  @Test
  void shutdown_refusesNewTasks_butLetsTheTestRunThePendingOnes() {
    scheduler.schedule(note("a"), 1, MILLISECONDS);
    scheduler.shutdown();
    assertThat(scheduler.isShutdown()).isTrue();
    assertThat(scheduler.isTerminated()).isFalse();
    assertThatThrownBy(() -> scheduler.execute(note("b")))
        .isInstanceOf(RejectedExecutionException.class);
    scheduler.runNext();
    assertThat(ran).containsExactly("a@1");
    assertThat(scheduler.isTerminated()).isTrue();
    assertThat(scheduler.awaitTermination(1, MILLISECONDS)).isTrue();
  }

  @Test
  void shutdownNow_returnsThePendingTasksUnrun() {
    scheduler.schedule(note("a"), 1, MILLISECONDS);
    scheduler.scheduleAtFixedRate(note("p"), 1, 1, MILLISECONDS);
    List<Runnable> never = scheduler.shutdownNow();
    assertThat(never).hasSize(2);
    assertThat(scheduler.isTerminated()).isTrue();
    assertThat(scheduler.advance(Duration.ofMillis(5))).isZero();
    never.get(0).run();
    assertThat(ran).containsExactly("a@5");
  }

  @Test
  void awaitScheduled_seesTasksScheduledByAnotherThread() throws Exception {
    assertThat(scheduler.awaitScheduled(1, Duration.ofMillis(1))).isFalse();
    Thread other =
        ThreadKind.PLATFORM
            .factory("scheduling")
            .newThread(() -> scheduler.schedule(note("a"), 1, MILLISECONDS));
    other.start();
    assertThat(scheduler.awaitScheduled(1, Duration.ofSeconds(10))).isTrue();
    other.join(10_000);
    assertThat(scheduler.pendingCount()).isEqualTo(1);
  }

  @Test
  void badArguments_areRefused_namingTheParameter() {
    assertThatThrownBy(() -> scheduler.scheduleAtFixedRate(note("a"), 0, 0, MILLISECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("period must be > 0, was 0");
    assertThatThrownBy(() -> scheduler.scheduleWithFixedDelay(note("a"), 0, -1, MILLISECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must be > 0, was -1");
    assertThatThrownBy(() -> scheduler.advance(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("d must not be negative");
    assertThatThrownBy(() -> ManualScheduler.on(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ticker must not be null");
    assertThatThrownBy(() -> scheduler.schedule((Runnable) null, 1, MILLISECONDS))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("command must not be null");
  }
}
