// What the Java snippets of docs/cache.md leave out: the imports they need, and stand-ins for the
// names that belong to your own code (user ids, profiles, how a profile is loaded).
// Each snippet compiles as the body of a method of a class that extends YourCode.

import io.dyno.cache.*;
import io.dyno.testing.FakeTicker;
import java.time.*;
import java.util.concurrent.*;
import java.util.function.*;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

abstract class YourCode {
  static final Logger log = LoggerFactory.getLogger("app");

  static UserId id;
  static Executor background;

  abstract Profile loadProfile(UserId id);

  abstract Config loadConfig();
}

interface UserId {}

interface Profile {}

interface Config {}
