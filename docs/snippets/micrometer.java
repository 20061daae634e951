// What the Java snippets of docs/micrometer.md leave out: the imports they need, and stand-ins for
// the names that belong to your own code (a quote service, your MeterRegistry, Spring's @Bean).
// Each snippet compiles as the body of a method of a class that extends YourCode.

import io.dyno.metrics.*;
import io.dyno.micrometer.DynoMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.time.*;

abstract class YourCode {
  static MeterRegistry meterRegistry; // your application's Micrometer registry
  static MetricsRegistry board; // the board of the quick start
  static Quotes quotes;
}

/** Spring's org.springframework.context.annotation.Bean, a stand-in. */
@interface Bean {}

interface Quote {}

interface Quotes {
  Quote fetch() throws IOException;
}
