package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.internal.hdr.Histogram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The merging of several instances' {@code metrics.json?histograms=true} answers, from the answers'
 * text: counts summed, failed readings left out, statuses merged to the most severe, and answers
 * not in that format refused naming the metric and the member at fault.
 */
class ClusterMergeTest {

  private static final String EMPTY_HISTOGRAM = HistogramCodec.encode(new Histogram(3));

  /** A metric's entry with every member, {@code extra} members replacing or adding to them. */
  private static Map<String, @Nullable Object> metric(String name, String extra) {
    Map<String, @Nullable Object> m =
        new LinkedHashMap<>(
            JsonReader.parseObject(
                "{\"name\":\""
                    + name
                    + "\",\"time\":1,\"windowMillis\":10000,\"latencyWindowMillis\":60000,"
                    + "\"successes\":0,\"failures\":0,\"timeouts\":0,\"shortCircuits\":0,"
                    + "\"rejections\":0,\"inFlight\":0,\"maxInFlight\":0,\"ratePerSecond\":0,"
                    + "\"failuresByType\":{},\"latencyHistogram\":\""
                    + EMPTY_HISTOGRAM
                    + "\"}"));
    m.putAll(JsonReader.parseObject("{" + extra + "}"));
    return m;
  }

  /** An entry as an instance lists a metric whose snapshot failed. */
  private static Map<String, @Nullable Object> failed(String name) {
    return JsonReader.parseObject("{\"name\":\"" + name + "\",\"error\":\"snapshot failed\"}");
  }

  /** An instance's answer listing {@code entries}, each a metric's entry, by their names. */
  @SafeVarargs
  private static Map<String, @Nullable Object> instance(Map<String, @Nullable Object>... entries) {
    Map<String, @Nullable Object> answer = new LinkedHashMap<>();
    for (Map<String, @Nullable Object> e : entries) {
      answer.put((String) e.get("name"), e);
    }
    return answer;
  }

  /** An instance holding one metric {@code x}, read with {@code extra} members. */
  private static Map<String, @Nullable Object> x(String extra) {
    return instance(metric("x", extra));
  }

  private static Map<String, ClusterMerge.Metric> read(Map<String, @Nullable Object> answer) {
    return ClusterMerge.read(answer);
  }

  /** Merges instances; returns the merged text. */
  @SafeVarargs
  private static String merge(Map<String, @Nullable Object>... instances) {
    List<Map<String, ClusterMerge.Metric>> read = new ArrayList<>();
    for (Map<String, @Nullable Object> instance : instances) {
      read.add(read(instance));
    }
    return ClusterMerge.merge(read);
  }

  @SafeVarargs
  @SuppressWarnings("unchecked")
  private static Map<String, Object> merged(
      String name, Map<String, @Nullable Object>... instances) {
    return (Map<String, Object>) MiniJson.object(merge(instances)).get(name);
  }

  @SafeVarargs
  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(Map<String, @Nullable Object>... instances) {
    return (Map<String, Object>) merged("x", instances).get("status");
  }

  /** One instance holding one metric {@code x} with a status. */
  private static Map<String, @Nullable Object> withStatus(String status) {
    return x("\"status\":" + status);
  }

  @Test
  void aMetricNoInstanceCouldRead_isListedAsFailed_withNoHosts() {
    String merged = merge(instance(failed("x")), instance(failed("x")));

    assertThat(merged)
        .isEqualTo(
            "{\"x\":{\"name\":\"x\",\"error\":\"snapshot failed\",\"hosts\":0,\"circuits\":{}}}");
  }

  @Test
  void aMetricOneInstanceCouldNotRead_isMergedFromTheOthersAlone() {
    Map<String, Object> x = merged("x", instance(failed("x")), x("\"successes\":3"));

    assertThat(x).containsEntry("successes", 3.0).containsEntry("hosts", 1.0);
    assertThat(x).doesNotContainKey("error");
  }

  @Test
  void requestsAndErrors_areTheSumsOfEveryPart_overEveryInstance() {
    Map<String, @Nullable Object> a =
        x(
            "\"time\":5,\"windowMillis\":20000,\"successes\":1,\"failures\":2,\"timeouts\":4,"
                + "\"shortCircuits\":8,\"rejections\":16,\"inFlight\":1,\"maxInFlight\":2,"
                + "\"ratePerSecond\":1.5,\"failuresByType\":{\"java.io.IOException\":2}");
    Map<String, @Nullable Object> b =
        x(
            "\"time\":3,\"latencyWindowMillis\":90000,\"successes\":32,\"failures\":64,"
                + "\"timeouts\":128,\"shortCircuits\":256,\"rejections\":512,\"inFlight\":3,"
                + "\"maxInFlight\":4,\"ratePerSecond\":2.25,"
                + "\"failuresByType\":{\"java.io.IOException\":60,\"Boom\":4}");

    Map<String, Object> x = merged("x", a, b);

    assertThat(x)
        .containsEntry("requests", 1023.0)
        .containsEntry("errors", 990.0)
        .containsEntry("errorPercentage", 100.0 * 990 / 1023)
        .containsEntry("successes", 33.0)
        .containsEntry("failures", 66.0)
        .containsEntry("timeouts", 132.0)
        .containsEntry("shortCircuits", 264.0)
        .containsEntry("rejections", 528.0)
        .containsEntry("inFlight", 4.0)
        .containsEntry("maxInFlight", 6.0)
        .containsEntry("ratePerSecond", 3.75)
        .containsEntry("time", 5.0)
        .containsEntry("windowMillis", 20000.0)
        .containsEntry("latencyWindowMillis", 90000.0)
        .containsEntry("failuresByType", Map.of("Boom", 4.0, "java.io.IOException", 62.0))
        .containsEntry("hosts", 2.0);
  }

  @Test
  void aMetricWithoutRequests_hasAnErrorPercentageOfZero() {
    assertThat(merged("x", x("")))
        .containsEntry("requests", 0.0)
        .containsEntry("errorPercentage", 0.0);
  }

  @Test
  void theNextTrial_isTheNearestAmongTheOpenCircuits_whateverTheOrderOfTheInstances() {
    Map<String, @Nullable Object> open9 =
        withStatus("{\"circuit\":\"OPEN\",\"nextTrialInMillis\":9000}");
    Map<String, @Nullable Object> open2 =
        withStatus("{\"circuit\":\"OPEN\",\"nextTrialInMillis\":2000}");
    Map<String, @Nullable Object> openUnknown = withStatus("{\"circuit\":\"OPEN\"}");
    Map<String, @Nullable Object> closedWithTrial =
        withStatus("{\"circuit\":\"CLOSED\",\"nextTrialInMillis\":1}");

    assertThat(status(open2, open9)).containsEntry("nextTrialInMillis", 2000.0);
    assertThat(status(open9, open2)).containsEntry("nextTrialInMillis", 2000.0);
    assertThat(status(open9, openUnknown, closedWithTrial))
        .containsEntry("circuit", "OPEN")
        .containsEntry("nextTrialInMillis", 9000.0);
    assertThat(status(openUnknown, closedWithTrial)).containsEntry("nextTrialInMillis", "null");
  }

  @Test
  void circuitStates_rankFromTheMostSevere_andStatesUnknownHereComeLast_byName() {
    Map<String, @Nullable Object> zed = withStatus("{\"circuit\":\"ZED\"}");
    Map<String, @Nullable Object> abc = withStatus("{\"circuit\":\"ABC\"}");
    Map<String, @Nullable Object> closed = withStatus("{\"circuit\":\"CLOSED\"}");
    Map<String, @Nullable Object> open = withStatus("{\"circuit\":\"OPEN\"}");

    String merged = merge(zed, closed, abc, open, zed);

    assertThat(merged).contains("\"circuits\":{\"OPEN\":1,\"CLOSED\":1,\"ABC\":1,\"ZED\":2}");
    assertThat(status(zed, closed, abc, open)).containsEntry("circuit", "OPEN");
    assertThat(status(zed, abc, closed)).containsEntry("circuit", "CLOSED");
    assertThat(status(zed, abc)).containsEntry("circuit", "ABC");
  }

  @Test
  void aStatusWithAPoolOnly_hasNoCircuit_andThePoolsAreSummed() {
    String pool =
        "{\"maxSize\":8,\"size\":4,\"largest\":6,\"active\":2,\"queued\":3,\"completed\":99}";
    Map<String, @Nullable Object> poolOnly = withStatus("{\"pool\":" + pool + "}");
    Map<String, @Nullable Object> nothing = withStatus("{}");

    Map<String, Object> status = status(poolOnly, nothing, poolOnly);

    assertThat(status)
        .containsEntry("circuit", "null")
        .containsEntry("nextTrialInMillis", "null")
        .containsEntry(
            "pool",
            Map.of(
                "maxSize",
                16.0,
                "size",
                8.0,
                "largest",
                12.0,
                "active",
                4.0,
                "queued",
                6.0,
                "completed",
                198.0));
    assertThat(merged("x", poolOnly)).containsEntry("circuits", Map.of());
    assertThat(status(nothing)).containsEntry("pool", "null");
  }

  /** One instance holding {@code x} with a status of arms only. */
  private static Map<String, @Nullable Object> withArms(
      String name, String percent, long admitted, long refused, boolean tripped) {
    return withStatus(
        "{\"circuit\":null,\"nextTrialInMillis\":null,\"pool\":null,\"arms\":{\"name\":\""
            + name
            + "\",\"percent\":"
            + percent
            + ",\"admitted\":"
            + admitted
            + ",\"refused\":"
            + refused
            + ",\"tripped\":"
            + tripped
            + "}}");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> arms(Object status) {
    return (Map<String, Object>) ((Map<String, Object>) status).get("arms");
  }

  @Test
  void arms_areSummed_withTheLowestAndHighestPercent_andTheFirstHostsName() {
    Map<String, @Nullable Object> a = withArms("new-panel", "20", 1234, 4910, false);
    Map<String, @Nullable Object> b = withArms("new-panel-b", "10", 100, 900, false);
    Map<String, @Nullable Object> c = withArms("new-panel-c", "12.5", 6, 4, false);

    String merged = merge(a, b, c);

    assertThat(merged)
        .contains(
            "\"arms\":{\"name\":\"new-panel\",\"percent\":10,\"percentMax\":20,"
                + "\"admitted\":1340,\"refused\":5814,\"tripped\":false}");
    assertThat(arms(status(b, a, c)))
        .containsEntry("name", "new-panel-b")
        .containsEntry("percent", 10.0)
        .containsEntry("percentMax", 20.0);
    assertThat(arms(status(c)))
        .containsEntry("name", "new-panel-c")
        .containsEntry("percent", 12.5)
        .containsEntry("percentMax", 12.5)
        .containsEntry("admitted", 6.0)
        .containsEntry("refused", 4.0)
        .containsEntry("tripped", false);
  }

  @Test
  void arms_areTrippedWhenAnyHostsAre() {
    Map<String, @Nullable Object> live = withArms("r", "20", 5, 5, false);
    Map<String, @Nullable Object> tripped = withArms("r", "20", 0, 7, true);

    assertThat(arms(status(live, tripped, live))).containsEntry("tripped", true);
    assertThat(arms(status(tripped, live))).containsEntry("tripped", true);
    assertThat(arms(status(live, live))).containsEntry("tripped", false);
  }

  @Test
  void arms_areNullWhenNoHostReportsThem_andAHostWithoutTheMemberReportsNone() {
    Map<String, @Nullable Object> older = withStatus("{\"circuit\":\"CLOSED\",\"pool\":null}");
    Map<String, @Nullable Object> none =
        withStatus("{\"circuit\":\"OPEN\",\"pool\":null,\"arms\":null}");
    Map<String, @Nullable Object> split = withArms("r", "30", 3, 7, false);

    assertThat(status(older, none)).containsEntry("arms", "null").containsEntry("circuit", "OPEN");
    assertThat(status(older)).containsEntry("arms", "null");
    assertThat(merged("x", x(""))).containsEntry("status", "null");
    assertThat(arms(status(older, split, none)))
        .containsEntry("name", "r")
        .containsEntry("percent", 30.0)
        .containsEntry("percentMax", 30.0)
        .containsEntry("admitted", 3.0)
        .containsEntry("refused", 7.0);
    assertThat(merged("x", older, split)).containsEntry("hosts", 2.0);
  }

  @Test
  void malformedArms_areRefused_namingTheMemberAndTheValue() {
    String good = "\"name\":\"r\",\"percent\":20,\"admitted\":1,\"refused\":2,\"tripped\":false";
    assertThat(read(withStatus("{\"arms\":{" + good + "}}"))).containsKey("x");
    assertThatThrownBy(() -> read(withStatus("{\"arms\":[]}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric 'x': status.arms must be an object, was an array");
    assertThatThrownBy(() -> read(withStatus("{\"arms\":{" + good.replace("\"r\"", "7") + "}}")))
        .hasMessage("metric 'x': status.arms.name must be a string, was a number");
    assertThatThrownBy(
            () -> read(withStatus("{\"arms\":{" + good.replace("\"name\":\"r\",", "") + "}}")))
        .hasMessage("metric 'x': status.arms.name must be a string, was null");
    assertThatThrownBy(() -> read(withStatus("{\"arms\":{" + good.replace("20", "\"20\"") + "}}")))
        .hasMessage("metric 'x': status.arms.percent must be a number, was a string");
    assertThatThrownBy(
            () -> read(withStatus("{\"arms\":{" + good.replace("\"percent\":20,", "") + "}}")))
        .hasMessage("metric 'x': status.arms.percent must be a number, was null");
    assertThatThrownBy(
            () ->
                read(
                    withStatus(
                        "{\"arms\":{" + good.replace("\"admitted\":1", "\"admitted\":-1") + "}}")))
        .hasMessage("metric 'x': status.arms.admitted must be a whole number >= 0, was -1");
    assertThatThrownBy(
            () ->
                read(
                    withStatus(
                        "{\"arms\":{" + good.replace("\"admitted\":1", "\"admitted\":1.5") + "}}")))
        .hasMessage("metric 'x': status.arms.admitted must be a whole number >= 0, was 1.5");
    assertThatThrownBy(
            () ->
                read(
                    withStatus(
                        "{\"arms\":{" + good.replace("\"refused\":2", "\"refused\":-2") + "}}")))
        .hasMessage("metric 'x': status.arms.refused must be a whole number >= 0, was -2");
    assertThatThrownBy(
            () ->
                read(
                    withStatus(
                        "{\"arms\":{" + good.replace("\"refused\":2", "\"refused\":true") + "}}")))
        .hasMessage("metric 'x': status.arms.refused must be a whole number >= 0, was a boolean");
    assertThatThrownBy(
            () -> read(withStatus("{\"arms\":{" + good.replace("false", "\"no\"") + "}}")))
        .hasMessage("metric 'x': status.arms.tripped must be a boolean, was a string");
    assertThatThrownBy(
            () -> read(withStatus("{\"arms\":{" + good.replace(",\"tripped\":false", "") + "}}")))
        .hasMessage("metric 'x': status.arms.tripped must be a boolean, was null");
  }

  /** One instance holding {@code x} with a status of a limit only. */
  private static Map<String, @Nullable Object> withLimit(
      String name, String algorithm, long limit, long inFlight) {
    return withStatus(
        "{\"circuit\":null,\"nextTrialInMillis\":null,\"pool\":null,\"arms\":null,"
            + "\"limit\":{\"name\":\""
            + name
            + "\",\"algorithm\":\""
            + algorithm
            + "\",\"limit\":"
            + limit
            + ",\"inFlight\":"
            + inFlight
            + "},\"throttle\":null}");
  }

  /** One instance holding {@code x} with a status of a throttle only. */
  private static Map<String, @Nullable Object> withThrottle(
      String name, String probability, long requests, long accepts) {
    return withStatus(
        "{\"circuit\":null,\"nextTrialInMillis\":null,\"pool\":null,\"arms\":null,"
            + "\"limit\":null,\"throttle\":{\"name\":\""
            + name
            + "\",\"probability\":"
            + probability
            + ",\"requests\":"
            + requests
            + ",\"accepts\":"
            + accepts
            + "}}");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> member(Object status, String name) {
    return (Map<String, Object>) ((Map<String, Object>) status).get(name);
  }

  @Test
  void limits_areSummed_keepingTheAlgorithmWhenEqual_andTheFirstHostsName() {
    Map<String, @Nullable Object> a = withLimit("search", "gradient2", 48, 37);
    Map<String, @Nullable Object> b = withLimit("search-b", "gradient2", 20, 25);

    assertThat(merge(a, b))
        .contains(
            "\"limit\":{\"name\":\"search\",\"algorithm\":\"gradient2\",\"limit\":68,"
                + "\"inFlight\":62},\"throttle\":null,\"hedging\":null}");
    assertThat(member(status(b, a), "limit")).containsEntry("name", "search-b");
    assertThat(member(status(a), "limit"))
        .containsEntry("algorithm", "gradient2")
        .containsEntry("limit", 48.0)
        .containsEntry("inFlight", 37.0);
  }

  @Test
  void limits_ofDifferentAlgorithms_areMixed() {
    Map<String, @Nullable Object> adaptive = withLimit("search", "gradient2", 48, 37);
    Map<String, @Nullable Object> fixed = withLimit("search", "fixed", 10, 3);

    assertThat(member(status(adaptive, fixed, adaptive), "limit"))
        .containsEntry("algorithm", "mixed")
        .containsEntry("limit", 106.0)
        .containsEntry("inFlight", 77.0);
    assertThat(member(status(fixed, fixed), "limit")).containsEntry("algorithm", "fixed");
  }

  @Test
  void throttles_sumTheirCounts_withTheHighestAndLowestProbability() {
    Map<String, @Nullable Object> a = withThrottle("search", "0.12", 4000, 1200);
    Map<String, @Nullable Object> b = withThrottle("search-b", "0.3", 1000, 100);
    Map<String, @Nullable Object> c = withThrottle("search-c", "0", 500, 500);

    assertThat(merge(a, b, c))
        .contains(
            "\"throttle\":{\"name\":\"search\",\"probability\":0.3,\"probabilityMin\":0,"
                + "\"requests\":5500,\"accepts\":1800},\"hedging\":null}");
    assertThat(member(status(c, b), "throttle"))
        .containsEntry("name", "search-c")
        .containsEntry("probability", 0.3)
        .containsEntry("probabilityMin", 0.0);
    assertThat(member(status(a), "throttle"))
        .containsEntry("probability", 0.12)
        .containsEntry("probabilityMin", 0.12)
        .containsEntry("requests", 4000.0)
        .containsEntry("accepts", 1200.0);
  }

  @Test
  void limitAndThrottle_areNullWhenNoHostReportsThem_andOlderHostsStillMerge() {
    Map<String, @Nullable Object> older =
        withStatus("{\"circuit\":\"CLOSED\",\"pool\":null,\"arms\":null}");
    Map<String, @Nullable Object> limited = withLimit("search", "vegas", 30, 4);
    Map<String, @Nullable Object> throttled = withThrottle("search", "0.5", 10, 5);

    assertThat(status(older, older))
        .containsEntry("limit", "null")
        .containsEntry("throttle", "null")
        .containsEntry("circuit", "CLOSED");
    Map<String, Object> all = status(older, limited, throttled);
    assertThat(member(all, "limit"))
        .containsEntry("name", "search")
        .containsEntry("algorithm", "vegas")
        .containsEntry("limit", 30.0)
        .containsEntry("inFlight", 4.0);
    assertThat(member(all, "throttle"))
        .containsEntry("probability", 0.5)
        .containsEntry("probabilityMin", 0.5)
        .containsEntry("requests", 10.0)
        .containsEntry("accepts", 5.0);
    assertThat(merged("x", older, limited, throttled)).containsEntry("hosts", 3.0);
  }

  /** One instance holding {@code x} with a status of hedging only. */
  private static Map<String, @Nullable Object> withHedging(
      String delayMs, long maxExtra, long sent, long won) {
    return withStatus(
        "{\"circuit\":null,\"nextTrialInMillis\":null,\"pool\":null,\"arms\":null,"
            + "\"limit\":null,\"throttle\":null,\"hedging\":{\"delayMs\":"
            + delayMs
            + ",\"maxExtra\":"
            + maxExtra
            + ",\"sent\":"
            + sent
            + ",\"won\":"
            + won
            + "}}");
  }

  @Test
  void hedging_sumsSentAndWon_withTheHighestAndLowestDelay_andTheHighestMaxExtra() {
    Map<String, @Nullable Object> a = withHedging("12.3", 1, 41, 17);
    Map<String, @Nullable Object> b = withHedging("30", 3, 9, 2);
    Map<String, @Nullable Object> c = withHedging("4.5", 2, 0, 0);

    assertThat(merge(a, b, c))
        .contains(
            "\"throttle\":null,\"hedging\":{\"delayMs\":30,\"delayMinMs\":4.5,\"maxExtra\":3,"
                + "\"sent\":50,\"won\":19}}");
    assertThat(member(status(c, a), "hedging"))
        .containsOnly(
            Map.entry("delayMs", 12.3),
            Map.entry("delayMinMs", 4.5),
            Map.entry("maxExtra", 2.0),
            Map.entry("sent", 41.0),
            Map.entry("won", 17.0));
    assertThat(member(status(a), "hedging"))
        .containsEntry("delayMs", 12.3)
        .containsEntry("delayMinMs", 12.3)
        .containsEntry("maxExtra", 1.0);
  }

  @Test
  void hedging_isNullWhenNoHostReportsIt_andOlderHostsWithoutItStillMerge() {
    Map<String, @Nullable Object> older =
        withStatus("{\"circuit\":\"CLOSED\",\"pool\":null,\"arms\":null}");
    Map<String, @Nullable Object> throttled = withThrottle("search", "0.5", 10, 5);
    Map<String, @Nullable Object> hedged = withHedging("8", 1, 6, 5);

    assertThat(status(older, throttled))
        .containsEntry("hedging", "null")
        .containsEntry("circuit", "CLOSED");
    Map<String, Object> all = status(older, hedged, throttled);
    assertThat(member(all, "hedging"))
        .containsOnly(
            Map.entry("delayMs", 8.0),
            Map.entry("delayMinMs", 8.0),
            Map.entry("maxExtra", 1.0),
            Map.entry("sent", 6.0),
            Map.entry("won", 5.0));
    assertThat(member(all, "throttle")).containsEntry("requests", 10.0);
    assertThat(merged("x", older, hedged, throttled)).containsEntry("hosts", 3.0);
  }

  @Test
  void malformedHedging_isRefused_namingTheMemberAndTheValue() {
    String hedging = "\"delayMs\":12.5,\"maxExtra\":2,\"sent\":4,\"won\":3";
    assertThat(read(withStatus("{\"hedging\":{" + hedging + "}}"))).containsKey("x");
    assertThatThrownBy(() -> read(withStatus("{\"hedging\":\"fast\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric 'x': status.hedging must be an object, was a string");
    assertThatThrownBy(
            () -> read(withStatus("{\"hedging\":{" + hedging.replace("12.5", "\"12.5\"") + "}}")))
        .hasMessage("metric 'x': status.hedging.delayMs must be a number, was a string");
    assertThatThrownBy(
            () -> read(withStatus("{\"hedging\":{" + hedging.replace(":2,", ":2.5,") + "}}")))
        .hasMessage("metric 'x': status.hedging.maxExtra must be a whole number >= 0, was 2.5");
    assertThatThrownBy(
            () -> read(withStatus("{\"hedging\":{" + hedging.replace(":4", ":-4") + "}}")))
        .hasMessage("metric 'x': status.hedging.sent must be a whole number >= 0, was -4");
    assertThatThrownBy(
            () -> read(withStatus("{\"hedging\":{" + hedging.replace(",\"won\":3", "") + "}}")))
        .hasMessage("metric 'x': status.hedging.won must be a whole number >= 0, was null");
  }

  @Test
  void malformedLimitsAndThrottles_areRefused_namingTheMemberAndTheValue() {
    String limit = "\"name\":\"l\",\"algorithm\":\"fixed\",\"limit\":4,\"inFlight\":2";
    String throttle = "\"name\":\"t\",\"probability\":0.5,\"requests\":4,\"accepts\":2";
    assertThat(read(withStatus("{\"limit\":{" + limit + "},\"throttle\":{" + throttle + "}}")))
        .containsKey("x");
    assertThatThrownBy(() -> read(withStatus("{\"limit\":7}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric 'x': status.limit must be an object, was a number");
    assertThatThrownBy(
            () -> read(withStatus("{\"limit\":{" + limit.replace("\"fixed\"", "1") + "}}")))
        .hasMessage("metric 'x': status.limit.algorithm must be a string, was a number");
    assertThatThrownBy(
            () -> read(withStatus("{\"limit\":{" + limit.replace("\"name\":\"l\",", "") + "}}")))
        .hasMessage("metric 'x': status.limit.name must be a string, was null");
    assertThatThrownBy(() -> read(withStatus("{\"limit\":{" + limit.replace(":4", ":-4") + "}}")))
        .hasMessage("metric 'x': status.limit.limit must be a whole number >= 0, was -4");
    assertThatThrownBy(() -> read(withStatus("{\"limit\":{" + limit.replace(":2", ":2.5") + "}}")))
        .hasMessage("metric 'x': status.limit.inFlight must be a whole number >= 0, was 2.5");
    assertThatThrownBy(() -> read(withStatus("{\"throttle\":[]}")))
        .hasMessage("metric 'x': status.throttle must be an object, was an array");
    assertThatThrownBy(
            () -> read(withStatus("{\"throttle\":{" + throttle.replace("\"t\"", "true") + "}}")))
        .hasMessage("metric 'x': status.throttle.name must be a string, was a boolean");
    assertThatThrownBy(
            () -> read(withStatus("{\"throttle\":{" + throttle.replace("0.5", "\"0.5\"") + "}}")))
        .hasMessage("metric 'x': status.throttle.probability must be a number, was a string");
    assertThatThrownBy(
            () -> read(withStatus("{\"throttle\":{" + throttle.replace(":4", ":-1") + "}}")))
        .hasMessage("metric 'x': status.throttle.requests must be a whole number >= 0, was -1");
    assertThatThrownBy(
            () ->
                read(withStatus("{\"throttle\":{" + throttle.replace(",\"accepts\":2", "") + "}}")))
        .hasMessage("metric 'x': status.throttle.accepts must be a whole number >= 0, was null");
  }

  @Test
  void answersNotInTheFormat_areRefused_namingTheMetricAndTheMember() {
    assertThatThrownBy(() -> read(JsonReader.parseObject("{\"x\":1}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric 'x' must be an object, was a number");
    assertThatThrownBy(() -> read(x("\"successes\":-1")))
        .hasMessage("metric 'x': successes must be a whole number >= 0, was -1");
    assertThatThrownBy(() -> read(x("\"failures\":1.5")))
        .hasMessage("metric 'x': failures must be a whole number >= 0, was 1.5");
    assertThatThrownBy(() -> read(x("\"timeouts\":\"3\"")))
        .hasMessage("metric 'x': timeouts must be a whole number >= 0, was a string");
    assertThatThrownBy(() -> read(x("\"ratePerSecond\":\"fast\"")))
        .hasMessage("metric 'x': ratePerSecond must be a number, was a string");
    assertThatThrownBy(() -> read(x("\"failuresByType\":{\"Boom\":-2}")))
        .hasMessage("metric 'x': failuresByType 'Boom' must be a whole number >= 0, was -2");
    assertThatThrownBy(() -> read(x("\"latencyHistogram\":7")))
        .hasMessage(
            "metric 'x': latencyHistogram must be a string, was a number"
                + " (an instance without cluster support?)");
    assertThatThrownBy(() -> read(x("\"latencyHistogram\":\"AAAA\"")))
        .hasMessageStartingWith("metric 'x': ");
    assertThatThrownBy(() -> read(withStatus("\"open\"")))
        .hasMessage("metric 'x': status must be an object, was a string");
    assertThatThrownBy(() -> read(withStatus("{\"circuit\":5}")))
        .hasMessage("metric 'x': status.circuit must be a string, was a number");
    assertThatThrownBy(() -> read(withStatus("{\"nextTrialInMillis\":true}")))
        .hasMessage("metric 'x': status.nextTrialInMillis must be a number, was a boolean");
    assertThatThrownBy(() -> read(withStatus("{\"pool\":{\"maxSize\":1}}")))
        .hasMessage("metric 'x': status.pool.size must be a whole number >= 0, was null");
  }

  @Test
  void aReadingOfOneInstance_keepsItsMetricsInTheAnswersOrder() {
    Map<String, ClusterMerge.Metric> read = read(instance(metric("b", ""), failed("a")));

    assertThat(read.keySet()).containsExactly("b", "a");
    assertThat(merge(instance(metric("b", ""), metric("a", ""))))
        .startsWith("{\"a\":{\"name\":\"a\"");
  }
}
