// What the Java snippets of docs/timing.md leave out: the imports they need, and stand-ins for the
// names that belong to your own code or to the example before.
// Each snippet compiles as the body of a method, or as the members, of a class that extends
// YourCode.

import io.dyno.testing.FakeTicker;
import io.dyno.timing.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;

abstract class YourCode {
  static Timing t; // the timing of the example before

  static void renderCart() {} // your code, timed through Timing.current()
}
