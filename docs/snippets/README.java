// What the Java snippets of README.md leave out: the imports they need, and stand-ins for the
// names that belong to your own code (a connection pool, a payment gateway, a stock client...).
// Each snippet compiles as the body of a method of a class that extends YourCode.

import io.dyno.aspect.*;
import io.dyno.breaker.*;
import io.dyno.cache.*;
import io.dyno.harness.*;
import io.dyno.injection.*;
import io.dyno.metrics.*;
import io.dyno.registry.*;
import io.dyno.retry.*;
import io.dyno.service.*;
import io.dyno.timing.*;
import io.dyno.utils.*;
import java.io.IOException;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.function.*;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

abstract class YourCode {
  static final Logger log = LoggerFactory.getLogger("app");

  static Pool pool;
  static Quotes quotes;
  static Gateway gateway;
  static Order order;
  static UserId id;
  static ExecutorService executor;
  static Database primary;
  static Database replica;
  static Client client;
  static Request request;

  abstract Profile loadProfile(UserId id);
}

interface Connection {}

interface Pool {
  Connection connect() throws IOException;
}

interface Quote {}

interface Quotes {
  Quote fetch();
}

interface Order {}

interface Receipt {}

interface Gateway {
  Receipt charge(Order order) throws IOException;
}

interface UserId {}

interface Profile {}

interface Db extends AutoCloseable {
  static Db open() {
    throw new UnsupportedOperationException("your database");
  }

  String find(String user);
}

interface Database {}

interface Request {}

interface Response {}

interface Stock {
  static Stock unknown() {
    throw new UnsupportedOperationException("your stock figure");
  }
}

interface Client {
  Response send(Request request) throws IOException;

  Stock fetchStock() throws IOException;
}
