package io.dyno.metrics.internal;

import io.dyno.metrics.MetricsSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One emission of the Hystrix stream: a {@code data: {json}} frame per snapshot, in the {@code
 * HystrixCommand} format of {@link SnapshotJson#hystrixCommand}, or a {@code : ping} comment when
 * there are none.
 *
 * <p>Not thread-safe: one server tick at a time.
 */
public final class HystrixFrames {

  private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.UTF_8);

  private final String group;

  /**
   * Creates the frames of a stream that reports every metric in {@code group}.
   *
   * @param group the Hystrix command group and thread pool
   */
  public HystrixFrames(String group) {
    this.group = group;
  }

  /**
   * Returns the frames of {@code snapshots}, in their order.
   *
   * @param snapshots the snapshots of one reading of a registry
   * @return the UTF-8 bytes of the frames
   */
  public byte[] write(List<MetricsSnapshot> snapshots) {
    if (snapshots.isEmpty()) {
      return PING.clone();
    }
    StringBuilder sb = new StringBuilder(2048 * snapshots.size());
    for (MetricsSnapshot s : snapshots) {
      sb.append("data: ").append(SnapshotJson.hystrixCommand(s, group)).append("\n\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
