// What the Java snippets of docs/metrics.md leave out: the imports they need, and stand-ins for
// the names that belong to your own code (a quote service and its quotes).
// Each snippet compiles as the body of a method of a class that extends YourCode.

import io.dyno.metrics.*;
import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

abstract class YourCode {
  static final Logger log = LoggerFactory.getLogger("app");

  static Metrics payments; // the metrics of the quick start
  static MetricsRegistry registry; // your application's registry
  static Quotes quotes;
}

interface Quote {}

interface Quotes {
  Quote fetch() throws IOException;

  CompletableFuture<Quote> fetchAsync();
}
