package io.dyno.cache.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The header of an entry in Redis: written, read back, and refused when it is not ours. */
class EnvelopeTest {

  @Test
  void anEntry_readsBackAsWritten() {
    byte[] bytes = Envelope.encode(1_767_225_600_000L, 12_345, new byte[] {7, 8});
    assertThat(bytes).hasSize(Envelope.HEADER_BYTES + 2);
    assertThat(bytes[0]).isEqualTo(Envelope.VERSION);
    Envelope e = Envelope.decode(bytes);
    assertThat(e).isNotNull();
    assertThat(e.expiresAt()).isEqualTo(1_767_225_600_000L);
    assertThat(e.deltaNanos()).isEqualTo(12_345);
    assertThat(e.value()).containsExactly(7, 8);
  }

  @Test
  void aNegativeComputeTime_isWrittenAsZero() {
    Envelope e = Envelope.decode(Envelope.encode(1, -5, new byte[0]));
    assertThat(e).isNotNull();
    assertThat(e.deltaNanos()).isZero();
    assertThat(e.value()).isEmpty();
  }

  @Test
  void bytesThatAreNotAnEntry_readAsAbsent() {
    assertThat(Envelope.decode(new byte[Envelope.HEADER_BYTES - 1])).isNull();
    byte[] otherVersion = Envelope.encode(1, 1, new byte[] {1});
    otherVersion[0] = 2;
    assertThat(Envelope.decode(otherVersion)).isNull();
    byte[] negativeDelta =
        ByteBuffer.allocate(Envelope.HEADER_BYTES)
            .put(Envelope.VERSION)
            .putLong(1)
            .putLong(-1)
            .array();
    assertThat(Envelope.decode(negativeDelta)).isNull();
  }

  @Test
  void bytesShorterThanTheHeader_readAsAbsent_evenWithTheRightVersion() {
    byte[] truncated = new byte[Envelope.HEADER_BYTES - 1];
    truncated[0] = Envelope.VERSION;
    assertThat(Envelope.decode(truncated)).isNull();
    assertThat(Envelope.decode(new byte[] {Envelope.VERSION})).isNull();
    assertThat(Envelope.decode(new byte[0])).isNull();
    byte[] headerOnly = Envelope.encode(7, 3, new byte[0]);
    assertThat(headerOnly).hasSize(Envelope.HEADER_BYTES);
    Envelope e = Envelope.decode(headerOnly);
    assertThat(e).isNotNull();
    assertThat(e.expiresAt()).isEqualTo(7);
  }

  @Test
  void theValue_isCopiedOut() {
    Envelope e = Envelope.decode(Envelope.encode(1, 1, new byte[] {1}));
    assertThat(e).isNotNull();
    e.value()[0] = 9;
    assertThat(e.value()).containsExactly(1);
  }
}
