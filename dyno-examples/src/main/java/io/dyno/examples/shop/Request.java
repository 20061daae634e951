package io.dyno.examples.shop;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A shopper's request for a product page.
 *
 * @param product the product shown
 * @param ifNoneMatch the ETag of the copy the shopper already has, or null
 */
public record Request(String product, @Nullable String ifNoneMatch) {

  /**
   * Checks the product.
   *
   * @param product the product shown
   * @param ifNoneMatch the shopper's ETag, or null
   * @throws NullPointerException if {@code product} is null
   */
  public Request {
    Objects.requireNonNull(product, "product");
  }
}
