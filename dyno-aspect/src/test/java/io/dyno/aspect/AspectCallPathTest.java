package io.dyno.aspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What stands between a caller and the function: with no filters, {@code apply} itself and nothing
 * else ("one more call than the function itself"); with filters, one stage for the befores and one
 * for the afters however many there are, and none for a kind that has no filter in place.
 */
class AspectCallPathTest {

  /** The frames between {@link #callThrough} and the function, innermost first, by class. */
  private List<String> path = List.of();

  private String recordPath(String s) {
    path =
        StackWalker.getInstance()
            .walk(
                frames ->
                    frames
                        .skip(1) // recordPath itself
                        .takeWhile(f -> !f.getMethodName().equals("callThrough"))
                        .map(f -> f.getClassName().substring("io.dyno.aspect.".length()))
                        .toList());
    return "f(" + s + ")";
  }

  private List<String> callThrough(Aspect<String, String> aspect) {
    path = List.of();
    aspect.apply("x");
    return path;
  }

  @Test
  void apply_withNoFilters_callsTheFunctionFromApplyItself() {
    Aspect<String, String> aspect = Aspect.of("plain", this::recordPath);

    assertThat(callThrough(aspect)).containsExactly("Aspect");
  }

  @Test
  void apply_withOnlyBeforeFilters_addsOneStage() {
    Aspect<String, String> aspect = Aspect.of("befores", this::recordPath);
    aspect.before(a -> a + "1");
    aspect.before(a -> a + "2");

    assertThat(callThrough(aspect)).containsExactly("Pipeline", "Aspect");
    assertThat(aspect.apply("x")).isEqualTo("f(x12)");
  }

  @Test
  void apply_withOnlyAfterFilters_addsOneStage() {
    Aspect<String, String> aspect = Aspect.of("afters", this::recordPath);
    aspect.after((a, r) -> r + "1");
    aspect.after((a, r) -> r + "2");

    assertThat(callThrough(aspect)).containsExactly("Pipeline", "Aspect");
    assertThat(aspect.apply("x")).isEqualTo("f(x)12");
  }

  @Test
  void apply_withBeforesAndAfters_addsOneStageForEachKind() {
    Aspect<String, String> aspect = Aspect.of("both", this::recordPath);
    aspect.before(a -> a + "1");
    aspect.after((a, r) -> r + "2");
    aspect.before(a -> a + "3");
    aspect.after((a, r) -> r + "4");

    assertThat(callThrough(aspect)).containsExactly("Pipeline", "Pipeline", "Aspect");
    assertThat(aspect.apply("x")).isEqualTo("f(x13)24");
  }

  @Test
  void apply_afterEveryFilterIsRemoved_callsTheFunctionFromApplyAgain() {
    Aspect<String, String> aspect = Aspect.of("emptied", this::recordPath);
    Registration before = aspect.before(a -> a + "1");
    Registration after = aspect.after((a, r) -> r + "2");

    before.remove();
    assertThat(callThrough(aspect)).containsExactly("Pipeline", "Aspect");
    after.remove();
    after.remove();
    assertThat(callThrough(aspect)).containsExactly("Aspect");
    assertThat(aspect.apply("x")).isEqualTo("f(x)");
  }
}
