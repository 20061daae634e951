// What the Java snippets of docs/registry.md leave out: the imports they need, and stand-ins for
// the names that belong to your own code (your database type and its instances, a config folder).
// Each snippet compiles as the body of a method of a class that extends YourCode.

import io.dyno.registry.*;
import java.nio.file.Path;
import java.time.*;
import java.util.*;
import java.util.function.*;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

abstract class YourCode {
  static final Logger log = LoggerFactory.getLogger("app");

  static Registry reg; // the registry of the quick start
  static final Key<Database> DB = Key.of("db", Database.class); // the key of the quick start

  static Database primary;
  static Database replica;
  static Database tenantDb;
  static Path dir; // where your configuration files are
}

interface Database {}
