package io.dyno.testing;

/**
 * Starts a {@link RedisProcess}, prints its port, then blocks until its standard input ends: the
 * JVM that {@link RedisProcessTest} kills.
 */
public final class RedisProcessOrphanMain {

  private RedisProcessOrphanMain() {}

  /**
   * Runs it.
   *
   * @param args none
   * @throws Exception if the server cannot start
   */
  public static void main(String[] args) throws Exception {
    RedisProcess redis = RedisProcess.start();
    System.out.println(redis.port());
    System.out.flush();
    while (System.in.read() != -1) {
      // Blocks until killed.
    }
  }
}
