package io.dyno.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The examples of docs/registry.md, README.md and the javadoc, compiled and run. Each snippet in
 * the guide appears here line for line, which dyno-examples' documentation test verifies.
 */
class RegistryExamplesTest {

  private static final Logger log = LoggerFactory.getLogger(RegistryExamplesTest.class);

  /** A stand-in for a database client. */
  record Database(String url) {}

  private final Database primary = new Database("primary");
  private final Database replica = new Database("replica");
  private final Database tenantDb = new Database("tenant");

  @Test
  void quickStart() {
    Registry reg = Registry.create("app");
    Key<Database> DB = Key.of("db", Database.class);
    reg.register(DB, primary);
    Database db = reg.get(DB);

    assertThat(db).isSameAs(primary);
  }

  @Test
  void readme() {
    Registry reg = Registry.create("app");
    Key<Database> DB = Key.of("db", Database.class);
    Supplier<Database> db = reg.handle(DB); // late-bound: valid before DB is registered
    reg.register(DB, primary);
    reg.replace(DB, replica); // db.get() now returns replica

    assertThat(db.get()).isSameAs(replica);
  }

  @Test
  void lateBindingReplacingAndListening() {
    Registry reg = Registry.create("app");
    Key<Database> DB = Key.of("db", Database.class);
    Supplier<Database> db = reg.handle(DB); // valid before DB is registered
    reg.onChange(DB, (old, now) -> log.info("db changed from {} to {}", old, now));
    reg.register(DB, primary);
    reg.replace(DB, replica); // db.get() now returns replica

    assertThat(db.get()).isSameAs(replica);
  }

  @Test
  void children() {
    Registry reg = Registry.create("app");
    Key<Database> DB = Key.of("db", Database.class);
    reg.register(DB, primary);
    Registry tenant = reg.child("tenant-42");
    tenant.register(DB, tenantDb); // overrides the parent's DB for this tenant only
    Database forTenant = tenant.get(DB); // tenantDb
    Database forOthers = reg.get(DB); // the parent is untouched

    assertThat(forTenant).isSameAs(tenantDb);
    assertThat(forOthers).isSameAs(primary);
  }

  @Test
  void tags() {
    Registry reg = Registry.create("app");
    Key<Database> DB = Key.of("db", Database.class);
    reg.register(DB, primary);
    reg.tag(DB, "primary");
    Set<Key<?>> primaries = reg.tagged("primary"); // [ 'db' (Database) ]

    assertThat(primaries).containsExactly(DB);
  }

  @Test
  void loading(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("services.properties"),
        """
        # services.properties
        db.url    = string:jdbc:postgresql://db:5432/app
        pool.size = int:8
        timeout   = duration:PT2S
        clock     = class:java.time.Clock#systemUTC
        """);
    Registry reg = Registry.create("app");

    Set<Key<?>> loaded = reg.load(dir.resolve("services.properties"));
    String url = reg.get(Key.of("db.url", String.class));
    int size = reg.get(Key.of("pool.size", Integer.class));
    Duration timeout = reg.get(Key.of("timeout", Duration.class));
    Clock clock = reg.get(Key.of("clock", Clock.class));

    assertThat(loaded).hasSize(4);
    assertThat(url).isEqualTo("jdbc:postgresql://db:5432/app");
    assertThat(size).isEqualTo(8);
    assertThat(timeout).isEqualTo(Duration.ofSeconds(2));
    assertThat(clock).isEqualTo(Clock.systemUTC());
  }

  @Test
  void missingKey() {
    Registry reg = Registry.create("app");
    reg.register(Key.of("db", Database.class), primary);
    reg.register(Key.of("pool.size", Integer.class), 8);
    List<String> suggestions = List.of();

    try {
      reg.get(Key.of("dbb", Database.class));
    } catch (NotRegisteredException e) {
      suggestions = e.suggestions(); // [db]; e.registered() lists every name
    }

    assertThat(suggestions).containsExactly("db");
  }

  @Test
  void javadoc() {
    Database dataSource = primary;
    Database newDataSource = replica;
    Registry reg = Registry.create("app");
    Key<Database> DB = Key.of("db", Database.class);
    reg.register(DB, dataSource);
    Supplier<Database> late = reg.handle(DB); // resolves afresh on each get()
    reg.replace(DB, newDataSource); // late.get() now returns newDataSource

    assertThat(late.get()).isSameAs(newDataSource);
  }
}
