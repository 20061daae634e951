package io.dyno.examples.shop;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A shopper's request for a product page.
 *
 * @param shopper the shopper's id, such as {@code "shopper-17"}: the key of the shop's experiments
 * @param product the product shown
 * @param ifNoneMatch the ETag of the copy the shopper already has, or null
 */
public record Request(String shopper, String product, @Nullable String ifNoneMatch) {

  /**
   * Checks the shopper and the product.
   *
   * @param shopper the shopper's id
   * @param product the product shown
   * @param ifNoneMatch the shopper's ETag, or null
   * @throws NullPointerException if {@code shopper} or {@code product} is null
   */
  public Request {
    Objects.requireNonNull(shopper, "shopper");
    Objects.requireNonNull(product, "product");
  }
}
