// What the Java snippets of docs/injection.md leave out: the imports they need, and stand-ins for
// the names that belong to your own code (a database, a geolocation client, a configuration).
// Each snippet compiles as the body of a method of a class that extends YourCode.

import io.dyno.injection.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.function.*;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

abstract class YourCode {
  static final Logger log = LoggerFactory.getLogger("app");

  static ExecutorService executor;

  // those of the quick start
  static Injector injector;
  static Dependency<Db> db;
  static Dependency<Geo> geo;
}

class Db implements AutoCloseable {
  private final Map<String, String> rows;

  Db(Map<String, String> rows) {
    this.rows = rows;
  }

  static Db open() {
    return new Db(Map.of("ada", "Ada Lovelace"));
  }

  String find(String user) {
    return rows.getOrDefault(user, "?");
  }

  @Override
  public void close() {}
}

record Geo(String city) {
  static Geo connect() {
    throw new IllegalStateException("geo service unreachable");
  }

  static Geo offline() {
    return new Geo("unknown city");
  }
}

record Config(String region) {
  static Config load() {
    return new Config("eu-west");
  }
}
