package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.internal.hdr.Histogram;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * {@link HistogramCodec#decode} reads what another process sent: whatever is cut short, damaged or
 * not a latency histogram of dyno-metrics is refused with the reason, before it is merged.
 */
class HistogramCodecTest {

  /** The cookie of HdrHistogram's compressed V2 encoding. */
  private static final int COMPRESSED_COOKIE = 0x1c849314;

  /** The cookie of the V2 encoding inside it. */
  private static final int ENCODING_COOKIE = 0x1c849313;

  private static Histogram latencies() {
    Histogram h = new Histogram(HistogramCodec.DIGITS);
    h.recordValue(1_000);
    h.recordValueWithCount(2_500_000, 3);
    return h;
  }

  private static byte[] bytes(String base64) {
    return Base64.getDecoder().decode(base64);
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The compressed encoding of {@code contents}, as another process could send it. */
  private static String compressed(byte[] contents) {
    Deflater deflater = new Deflater();
    deflater.setInput(contents);
    deflater.finish();
    byte[] out = new byte[contents.length + 64];
    int n = deflater.deflate(out);
    deflater.end();
    return base64(
        ByteBuffer.allocate(8 + n).putInt(COMPRESSED_COOKIE).putInt(n).put(out, 0, n).array());
  }

  /** The uncompressed V2 encoding inside {@code base64}. */
  private static byte[] contents(String base64) throws DataFormatException {
    byte[] in = bytes(base64);
    Inflater inflater = new Inflater();
    inflater.setInput(in, 8, in.length - 8);
    byte[] out = new byte[1 << 16];
    int n = inflater.inflate(out);
    inflater.end();
    return Arrays.copyOf(out, n);
  }

  @Test
  void whatEncodeWrote_decodesToTheSameCounts() {
    Histogram decoded = HistogramCodec.decode(HistogramCodec.encode(latencies()));

    assertThat(decoded).isEqualTo(latencies());
    assertThat(decoded.getCountAtValue(2_500_000)).isEqualTo(3);
  }

  @Test
  void aHistogramWithAUnitOtherThanOne_isRefusedWithTheUnit() {
    Histogram micros = new Histogram(1_000, 3_600_000_000_000L, HistogramCodec.DIGITS);
    micros.recordValue(5_000);

    assertThatThrownBy(() -> HistogramCodec.decode(HistogramCodec.encode(micros)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "latencyHistogram must have 3 significant digits and unit 1, was 3 digits and unit"
                + " 1000");
  }

  @Test
  void anotherEncodingInside_isRefusedByItsCookie() throws DataFormatException {
    byte[] inner = contents(HistogramCodec.encode(latencies()));
    ByteBuffer.wrap(inner).putInt(0, 0x1c849381); // HdrHistogram's V1 encoding, 8-byte counts

    assertThatThrownBy(() -> HistogramCodec.decode(compressed(inner)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latencyHistogram is not an HdrHistogram V2 encoding: bad inner cookie");
  }

  @Test
  void aHeaderThatInflatesShort_isRefused() throws DataFormatException {
    byte[] inner = contents(HistogramCodec.encode(latencies()));

    assertThatThrownBy(() -> HistogramCodec.decode(compressed(Arrays.copyOf(inner, 20))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latencyHistogram's header is cut short");
  }

  @Test
  void countsCutShortAfterAGoodHeader_areRefused() throws DataFormatException {
    byte[] inner = contents(HistogramCodec.encode(latencies()));

    assertThatThrownBy(() -> HistogramCodec.decode(compressed(Arrays.copyOf(inner, 41))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("latencyHistogram is not an HdrHistogram compressed encoding: ");
  }

  @Test
  void noCompressedBytesAtAll_isAHeaderCutShort() {
    byte[] empty = ByteBuffer.allocate(8).putInt(COMPRESSED_COOKIE).putInt(0).array();

    assertThatThrownBy(() -> HistogramCodec.decode(base64(empty)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latencyHistogram's header is cut short");
  }

  @Test
  void fewerBytesThanTheCookieAndLength_areRefused() {
    byte[] seven = Arrays.copyOf(bytes(HistogramCodec.encode(latencies())), 7);

    assertThatThrownBy(() -> HistogramCodec.decode(base64(seven)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latencyHistogram is not an HdrHistogram compressed encoding: no V2 cookie");
  }

  @Test
  void anEncodingCutShort_isRefused_sayingHowMuchIsMissing() {
    byte[] whole = bytes(HistogramCodec.encode(latencies()));
    int announced = whole.length - 8;
    byte[] cut = Arrays.copyOf(whole, whole.length - 1);

    assertThatThrownBy(() -> HistogramCodec.decode(base64(cut)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "latencyHistogram is cut short: "
                + announced
                + " compressed bytes announced, "
                + (announced - 1)
                + " present");
  }

  @Test
  void aNegativeCompressedLength_isRefused() {
    byte[] whole = bytes(HistogramCodec.encode(latencies()));
    ByteBuffer.wrap(whole).putInt(4, -1);

    assertThatThrownBy(() -> HistogramCodec.decode(base64(whole)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "latencyHistogram is cut short: -1 compressed bytes announced, "
                + (whole.length - 8)
                + " present");
  }

  @Test
  void compressedBytesThatDoNotInflate_areRefused() {
    byte[] garbage = {0x1c, (byte) 0x84, (byte) 0x93, 0x14, 0, 0, 0, 4, 1, 2, 3, 4};

    assertThatThrownBy(() -> HistogramCodec.decode(base64(garbage)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("latencyHistogram does not inflate: ");
  }

  @Test
  void aNegativeCount_isRefused_soThatItCannotCorruptAMerge() {
    // Counts Long.MIN_VALUE at 0 and 1 at 1, in ZigZag LEB128: HdrHistogram's total holds the
    // positive counts only, so its iteration reaches the negative one.
    byte[] min = new byte[9];
    Arrays.fill(min, (byte) 0xff);
    ByteBuffer inner =
        ByteBuffer.allocate(40 + 10)
            .putInt(ENCODING_COOKIE)
            .putInt(10)
            .putInt(0)
            .putInt(HistogramCodec.DIGITS)
            .putLong(1)
            .putLong(2)
            .putDouble(1.0)
            .put(min)
            .put((byte) 2);

    assertThatThrownBy(() -> HistogramCodec.decode(compressed(inner.array())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "latencyHistogram must hold no negative count, was " + Long.MIN_VALUE + " at 0");
  }
}
