// What the Java snippets of docs/testing.md leave out: the imports they need, and stand-ins for the
// names that belong to your own code (a price client over a retry and a breaker, a flaky backend).
// Each snippet compiles as the body of a test method, or as the members, of a test class that
// extends YourCode.

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.breaker.*;
import io.dyno.retry.*;
import io.dyno.testing.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

abstract class YourCode {
  // those of the test before
  static PriceClient client;
  static FakeTicker ticker;
}

/** Your client: prices, retried with backoff, behind a breaker. */
class PriceClient {
  private final Breaker breaker;
  private final Retry retry;
  private final Prices backend;

  PriceClient(Breaker breaker, Retry retry, Prices backend) {
    this.breaker = breaker;
    this.retry = retry;
    this.backend = backend;
  }

  long price(String sku) throws Exception {
    return breaker.call(() -> retry.call(() -> backend.price(sku)));
  }
}

/** The remote service behind the client. */
interface Prices {
  long price(String sku) throws Exception;
}

/** A backend that fails a given number of times, then answers 42. */
class Flaky implements Prices {
  private final AtomicInteger failuresLeft;

  Flaky(int failures) {
    this.failuresLeft = new AtomicInteger(failures);
  }

  @Override
  public long price(String sku) {
    if (failuresLeft.getAndDecrement() > 0) {
      throw new IllegalStateException("prices unavailable");
    }
    return 42;
  }
}
