// What the Java snippets of docs/breaker.md leave out: the imports they need, and stand-ins for the
// names that belong to your own code (a payment gateway, an order, a checkout, a report, the
// current user's id).
// Each snippet compiles as the body of a method of a class that extends YourCode.

import io.dyno.breaker.*;
import io.dyno.metrics.*;
import java.io.IOException;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

abstract class YourCode {
  static final Logger log = LoggerFactory.getLogger("app");

  static Breaker payments; // the breaker of the quick start
  static Limiter db; // the adaptive limiter of the Limiter section
  static Gateway gateway;
  static Order order;
  static Checkout checkout;
  static Reports reports;
  static String month;
  static String userId;
}

interface Order {}

interface Receipt {
  String orderId();
}

interface Gateway {
  Receipt charge(Order order) throws IOException;

  CompletableFuture<Receipt> chargeAsync(Order order);
}

/** A failure of input, which says nothing about the dependency's health. */
class ValidationException extends RuntimeException {}

interface Page {}

interface Checkout {
  Page renderNew(Order order);

  Page renderOld(Order order);
}

interface Reports {
  String export(String month);
}
