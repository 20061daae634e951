package io.dyno.metrics.internal;

import io.dyno.metrics.internal.hdr.Histogram;
import io.dyno.metrics.internal.hdr.HistogramIterationValue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Latency histograms as text: HdrHistogram's compressed encoding (V2, as {@code
 * encodeIntoCompressedByteBuffer} writes it) in base64, the form every HdrHistogram implementation
 * (Java, Go, Python, JavaScript, ...) decodes. Values are nanoseconds at 3 significant digits.
 *
 * <p>Decoding reads what another process sent, so it checks the encoding's header before
 * HdrHistogram sizes a histogram from it: a histogram at other than 3 significant digits, or with a
 * unit other than 1, is refused, which also bounds the memory a decoded histogram takes.
 *
 * <p>Stateless and thread-safe.
 */
public final class HistogramCodec {

  /** The significant digits every latency histogram of dyno-metrics has. */
  static final int DIGITS = 3;

  /** The cookie base of HdrHistogram's compressed encodings V1 and V2, with the word size bits. */
  private static final int COMPRESSED_COOKIE_BASE = 0x1c849304;

  /** The cookie base of the uncompressed V2 encoding inside the compressed one. */
  private static final int ENCODING_COOKIE_BASE = 0x1c849303;

  /** The header inside the compressed contents: cookie, payload, offset, digits, unit, highest. */
  private static final int HEADER_BYTES = 32;

  private HistogramCodec() {}

  /**
   * Returns {@code histogram} in HdrHistogram's compressed encoding, in base64.
   *
   * @param histogram the histogram
   * @return the base64 text
   */
  public static String encode(Histogram histogram) {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
  }

  /**
   * Decodes a histogram that {@link #encode} or another HdrHistogram implementation wrote.
   *
   * @param base64 the base64 text of the compressed encoding
   * @return a new histogram
   * @throws IllegalArgumentException if the text is not such a histogram at 3 significant digits
   *     and unit 1, saying what is wrong
   */
  public static Histogram decode(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("latencyHistogram is not base64: " + e.getMessage(), e);
    }
    checkHeader(bytes);
    Histogram h;
    try {
      h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
    } catch (DataFormatException | RuntimeException e) {
      throw new IllegalArgumentException(
          "latencyHistogram is not an HdrHistogram compressed encoding: " + e, e);
    }
    for (HistogramIterationValue v : h.recordedValues()) {
      if (v.getCountAtValueIteratedTo() < 0) {
        throw new IllegalArgumentException(
            "latencyHistogram must hold no negative count, was "
                + v.getCountAtValueIteratedTo()
                + " at "
                + v.getValueIteratedTo());
      }
    }
    return h;
  }

  /** Reads the header inside the compressed contents and refuses what is not ours to merge. */
  private static void checkHeader(byte[] bytes) {
    ByteBuffer outer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    if (bytes.length < 8 || (outer.getInt(0) & 0xffffff0f) != COMPRESSED_COOKIE_BASE) {
      throw new IllegalArgumentException(
          "latencyHistogram is not an HdrHistogram compressed encoding: no V2 cookie");
    }
    int compressed = outer.getInt(4);
    if (compressed < 0 || compressed > bytes.length - 8) {
      throw new IllegalArgumentException(
          "latencyHistogram is cut short: "
              + compressed
              + " compressed bytes announced, "
              + (bytes.length - 8)
              + " present");
    }
    byte[] header = new byte[HEADER_BYTES];
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(bytes, 8, compressed);
      int n = inflater.inflate(header);
      if (n < HEADER_BYTES) {
        throw new IllegalArgumentException("latencyHistogram's header is cut short");
      }
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("latencyHistogram does not inflate: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    ByteBuffer inner = ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN);
    if ((inner.getInt(0) & 0xffffff0f) != ENCODING_COOKIE_BASE) {
      throw new IllegalArgumentException(
          "latencyHistogram is not an HdrHistogram V2 encoding: bad inner cookie");
    }
    int digits = inner.getInt(12);
    long unit = inner.getLong(16);
    if (digits != DIGITS || unit != 1) {
      throw new IllegalArgumentException(
          "latencyHistogram must have 3 significant digits and unit 1, was "
              + digits
              + " digits and unit "
              + unit);
    }
  }
}
