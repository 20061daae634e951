// What the Java snippets of docs/service.md leave out: the imports they need, and stand-ins for
// the names that belong to your own code (an inventory client, stock and prices, a tenant context).
// Each snippet compiles as the body of a method of a class that extends YourCode.

import io.dyno.breaker.Breaker;
import io.dyno.breaker.LimitExceededException;
import io.dyno.breaker.Limiter;
import io.dyno.breaker.Throttle;
import io.dyno.breaker.ThrottledException;
import io.dyno.metrics.*;
import io.dyno.retry.*;
import io.dyno.service.*;
import java.io.IOException;
import java.time.*;
import java.util.concurrent.*;
import java.util.function.*;

abstract class YourCode {
  static InventoryClient client;
  static InventoryClient flaky; // fails now and then
  static InventoryClient down; // always fails
  static ExecutorService virtualThreads;
}

interface Stock {
  static Stock unknown() {
    throw new UnsupportedOperationException("your figure for an unknown stock");
  }
}

interface Price {
  static Price unknown(String sku) {
    throw new UnsupportedOperationException("your figure for an unknown price");
  }
}

interface InventoryClient {
  Stock fetchStock() throws IOException;

  Price price(String sku);
}

/** The tenant of the current request, your own thread-bound context. */
interface Tenant {
  static String current() {
    throw new UnsupportedOperationException("your tenant");
  }

  static void with(String tenant, Runnable work) {
    work.run();
  }
}
