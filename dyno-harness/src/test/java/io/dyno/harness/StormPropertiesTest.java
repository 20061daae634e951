package io.dyno.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Laws of storm control that hold for any sequence of failures and pauses. */
class StormPropertiesTest {

  /** A fixed seed keeps every run identical; change it to explore other sequences. */
  private static final String SEED = "20261127";

  private static final Pattern SUMMARY =
      Pattern.compile("Harness 'p': ([\\d,]+) more java.io.IOException: kind (\\d) in the last .*");
  private static final Pattern FULL =
      Pattern.compile("Harness 'p': call failed: java.io.IOException: kind (\\d)");

  /**
   * Every failure is accounted for exactly once: logged in full or counted in one summary line,
   * once {@code logSummaries()} has reported the tail; and each kind's first failure is logged in
   * full.
   */
  @Property(tries = 300, seed = SEED)
  void everyFailureIsLoggedOrSummarizedExactlyOnce(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 3) Integer> kinds,
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 90_000) Integer> pausesMillis) {
    FakeTicker time = FakeTicker.create();
    RecordingLogger log = new RecordingLogger();
    Harness h = Harness.builder("p").logger(log).ticker(time).build();
    long[] perKind = new long[4];
    for (int i = 0; i < kinds.size(); i++) {
      if (i < pausesMillis.size()) {
        time.advance(Duration.ofMillis(pausesMillis.get(i)));
      }
      int kind = kinds.get(i);
      Sneaky.failThrough(h, new IOException("kind " + kind));
      perKind[kind]++;
    }
    h.logSummaries();

    long[] accounted = new long[4];
    boolean[] seen = new boolean[4];
    for (String message : log.messages()) {
      Matcher full = FULL.matcher(message);
      Matcher summary = SUMMARY.matcher(message);
      if (full.matches()) {
        int kind = Integer.parseInt(full.group(1));
        seen[kind] = true;
        accounted[kind]++;
      } else {
        assertThat(summary.matches()).as(message).isTrue();
        int kind = Integer.parseInt(summary.group(2));
        assertThat(seen[kind]).as("a summary follows a full line of its kind").isTrue();
        accounted[kind] += Long.parseLong(summary.group(1).replace(",", ""));
      }
    }
    assertThat(accounted).containsExactly(perKind);
    assertThat(h.failures()).isEqualTo(kinds.size());
  }
}
