package io.dyno.examples.shop;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A rendered product page, or the answer that the shopper's copy is still current.
 *
 * @param status 200 with a body, or 304 (not modified) with an empty one
 * @param etag the entity tag of the body, quoted; empty until the page has been tagged
 * @param body the page's text
 */
public record Page(int status, String etag, String body) {

  /**
   * Checks the parts.
   *
   * @param status 200 or 304
   * @param etag the entity tag, quoted, or empty
   * @param body the text
   * @throws IllegalArgumentException if {@code status} is neither 200 nor 304
   */
  public Page {
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(body, "body");
    if (status != 200 && status != 304) {
      throw new IllegalArgumentException("status must be 200 or 304, was " + status);
    }
  }

  /**
   * Returns an untagged page with {@code body}.
   *
   * @param body the text
   * @return the page
   */
  public static Page ok(String body) {
    return new Page(200, "", body);
  }

  /**
   * Returns the answer that the shopper's copy, tagged {@code etag}, is current.
   *
   * @param etag the tag
   * @return a 304 page
   */
  public static Page notModified(String etag) {
    return new Page(304, etag, "");
  }

  /**
   * Returns this page tagged with {@code etag}.
   *
   * @param etag the tag
   * @return the tagged page
   */
  public Page withEtag(String etag) {
    return new Page(status, etag, body);
  }

  /**
   * Returns the entity tag of {@code body}: a quoted CRC-32 of its UTF-8 bytes, enough to tell two
   * versions of a page apart.
   *
   * @param body the text
   * @return the tag, such as {@code "1c291ca3"}
   */
  public static String etagOf(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return '"' + Long.toHexString(crc.getValue()) + '"';
  }
}
