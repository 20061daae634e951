package io.dyno.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The examples of docs/injection.md, README.md and the javadoc, compiled and run. Each snippet in
 * the guide appears here line for line, which dyno-examples' documentation test verifies.
 */
class InjectionExamplesTest {

  private static final Logger log = LoggerFactory.getLogger(InjectionExamplesTest.class);

  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  @AfterEach
  void shutDown() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** A fake database connection. */
  static final class Db implements AutoCloseable {
    private final Map<String, String> rows;
    boolean closed;

    Db(Map<String, String> rows) {
      this.rows = rows;
    }

    static Db open() {
      return new Db(Map.of("ada", "Ada Lovelace"));
    }

    String find(String user) {
      return rows.getOrDefault(user, "?");
    }

    String greeting() {
      return "Hello, ";
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** A fake geolocation client. */
  record Geo(String city) {
    static Geo connect() {
      if (Boolean.getBoolean("geo.reachable")) {
        return new Geo("Paris");
      }
      throw new IllegalStateException("geo service unreachable");
    }

    static Geo offline() {
      return new Geo("unknown city");
    }
  }

  /** A fake configuration, expensive to load. */
  record Config(String region) {
    static Config load() {
      return new Config("eu-west");
    }
  }

  @Test
  void readme() {
    Dependency<Db> db = Dependency.of("db", Db::open).timeout(Timeouts.DC).closeAfterCall();
    Function<String, String> handler =
        Injector.parallel(executor).inject(List.of(db), (deps, user) -> deps.get(db).find(user));
    String row = handler.apply("ada");
    assertThat(row).isEqualTo("Ada Lovelace");
  }

  @Test
  void quickStartAndTesting() {
    Dependency<Db> db = Dependency.of("db", Db::open).timeout(Timeouts.DC).closeAfterCall();
    Dependency<Geo> geo =
        Dependency.of("geo", Geo::connect).timeout(Timeouts.INTERNET).orElse(Geo.offline());
    Injector injector = Injector.parallel(executor);
    Function<String, String> handler =
        injector.inject(
            List.of(db, geo),
            (deps, user) -> deps.get(db).find(user) + ", " + deps.get(geo).city());
    String page = handler.apply("ada"); // "Ada Lovelace, unknown city"
    assertThat(page).isEqualTo("Ada Lovelace, unknown city");

    Db fake = new Db(Map.of("bob", "Bob"));
    Function<String, String> forTest =
        injector
            .withOverride(db, fake)
            .withOverride(geo, new Geo("Paris"))
            .inject(
                List.of(db, geo),
                (deps, user) -> deps.get(db).find(user) + ", " + deps.get(geo).city());
    assertThat(forTest.apply("bob")).isEqualTo("Bob, Paris");
    assertThat(fake.closed).isFalse(); // an override is never closed
  }

  @Test
  void javadoc() {
    Dependency<Db> db = Dependency.of("db", Db::open).timeout(Timeouts.DC).closeAfterCall();
    Dependency<Db> DB = db;
    Injector injector = Injector.parallel(executor);
    Function<String, String> greet =
        injector.inject(List.of(DB), (deps, who) -> deps.get(DB).greeting() + who);
    assertThat(greet.apply("Ada")).isEqualTo("Hello, Ada");
  }

  @Test
  void sharedAndSupplier() {
    Dependency<Config> config = Dependency.of("config", Config::load).shared();
    Supplier<String> region =
        Injector.sequential().injectSupplier(List.of(config), deps -> deps.get(config).region());
    assertThat(region.get()).isEqualTo("eu-west");
  }

  @Test
  void failures() {
    Dependency<Geo> geo = Dependency.of("geo", Geo::connect).timeout(Timeouts.INTERNET);
    Function<String, String> handler =
        Injector.parallel(executor).inject(List.of(geo), (deps, user) -> deps.get(geo).city());
    String city;
    try {
      city = handler.apply("ada");
    } catch (DependencyException e) {
      for (DependencyFailure f : e.failures()) {
        log.warn("{} {} after {}", f.dependency(), f.kind(), f.elapsed(), f.cause());
      }
      city = "unknown";
    }
    assertThat(city).isEqualTo("unknown");
    assertThatThrownBy(() -> handler.apply("ada"))
        .isInstanceOf(DependencyException.class)
        .hasMessageContaining("'geo' failed after ")
        .hasMessageContaining("java.lang.IllegalStateException: geo service unreachable");
  }
}
