// What the Java snippets of docs/retry.md leave out: the imports they need, and stand-ins for the
// names that belong to your own code (a client, its requests and responses, a connection pool).
// Each snippet compiles as the body of a method of a class that extends YourCode.

import io.dyno.retry.*;
import io.dyno.testing.RecordingSleeper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

abstract class YourCode {
  static final Logger log = LoggerFactory.getLogger("app");

  static Client client;
  static Request request;
  static Pool pool;
}

interface Request {}

interface Response {
  int status();
}

interface Client {
  Response send(Request request) throws IOException;

  CompletableFuture<Response> sendAsync(Request request);
}

interface Pool {
  String connect() throws IOException;
}
