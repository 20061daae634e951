package io.dyno.examples.shop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Shoppers: client threads that request product pages, revalidate the copies they hold with their
 * ETags, and now and then check out, until stopped. A client serves one shopper's visit after
 * another: a visit is 10 to 49 requests of one of {@link #SHOPPERS} shoppers, {@code shopper-0} to
 * {@code shopper-999}, drawn at random, so that the shop's experiments see many shoppers, each one
 * again and again.
 *
 * <p>Each client draws from its own random generator, split from the seed, and pauses a few
 * milliseconds between requests through the clockwork's sleeper.
 *
 * <p>Thread-safe; {@link #stop()} may be called from any thread.
 */
public final class Traffic {

  /** How many shoppers the clients' requests come from. */
  public static final int SHOPPERS = 1_000;

  private final List<Thread> clients = new ArrayList<>();
  private volatile boolean running = true;

  private Traffic() {}

  /**
   * Starts {@code clients} client threads against {@code shop}.
   *
   * @param shop the shop
   * @param clients how many client threads, at least 1
   * @param clockwork the sleeper of the pauses, and the seed
   * @return the running traffic
   * @throws IllegalArgumentException if {@code clients} is less than 1
   */
  public static Traffic start(Shop shop, int clients, Clockwork clockwork) {
    Objects.requireNonNull(shop, "shop");
    Objects.requireNonNull(clockwork, "clockwork");
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be >= 1, was " + clients);
    }
    Traffic traffic = new Traffic();
    SplittableRandom seeds = new SplittableRandom(clockwork.seed());
    for (int i = 1; i <= clients; i++) {
      SplittableRandom random = seeds.split();
      Thread t = new Thread(() -> traffic.shop(shop, random, clockwork), "shopper-" + i);
      t.setDaemon(true);
      traffic.clients.add(t);
    }
    traffic.clients.forEach(Thread::start);
    return traffic;
  }

  private void shop(Shop shop, SplittableRandom random, Clockwork clockwork) {
    Map<String, String> copies = new HashMap<>();
    String shopper = "";
    int left = 0;
    try {
      while (running) {
        if (left == 0) {
          // A new visit: another shopper, whose browser holds no copies yet.
          shopper = "shopper-" + random.nextInt(SHOPPERS);
          left = 10 + random.nextInt(40);
          copies.clear();
        }
        left--;
        String product = Shop.PRODUCTS.get(random.nextInt(Shop.PRODUCTS.size()));
        // Half the time the client holds a copy of the page and asks whether it changed.
        String copy = random.nextBoolean() ? copies.get(product) : null;
        Page page = shop.page(new Request(shopper, product, copy));
        if (page.status() == 200) {
          copies.put(product, page.etag());
        }
        if (random.nextInt(4) == 0) {
          shop.checkout(shop.nextOrder());
        }
        clockwork.sleeper().sleep(Duration.ofMillis(5 + random.nextInt(20)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops every client after its current request and waits for it to end.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void stop() throws InterruptedException {
    running = false;
    for (Thread t : clients) {
      // A client ends after its current request, within a second even in the worst incident; an
      // interrupt is the last resort, since it would fail the request it cuts short.
      t.join(5_000);
      if (t.isAlive()) {
        t.interrupt();
        t.join();
      }
    }
  }

  /**
   * Returns whether every client has ended.
   *
   * @return true once all clients are done
   */
  public boolean isStopped() {
    return clients.stream().noneMatch(Thread::isAlive);
  }
}
