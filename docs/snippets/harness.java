// What the Java snippets of docs/harness.md leave out: the imports they need, and stand-ins for
// the names that belong to your own code (a connection pool, a quote service, alerts, an audit).
// Each snippet compiles as the body of a method of a class that extends YourCode.

import io.dyno.harness.*;
import io.dyno.testing.FakeClock;
import java.io.IOException;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.function.*;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

abstract class YourCode {
  static Harness harness; // the harness of the quick start
  static Pool pool;
  static Quotes quotes;
  static Alerts alerts;
  static Audit audit;
  static Counters metrics;
  static ScheduledExecutorService scheduler;

  abstract void retryLater(IOException e);
}

interface Connection {}

interface Pool {
  Connection connect() throws IOException;
}

interface Quote {}

interface Quotes {
  Quote fetch();

  Quote fetch(String symbol);

  CompletableFuture<Quote> fetchAsync(String symbol);
}

interface Alerts {
  void send(Failure failure);
}

interface Audit {
  void record(String event);
}

interface Counters {
  void increment(String name);
}
