package io.seckill.contracts;

import java.util.regex.Pattern;

/**
 * Shapes of the ids that cross a service boundary. Checked at the gateway before anything else
 * and again by each internal API, so a path-traversal or unicode id never reaches Redis or SQL.
 */
public final class Ids {

  /** Sale ids: 1–64 of letters, digits, '-' and '_'. */
  public static final Pattern SALE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  /** User ids (the JWT {@code sub}): 1–64 of letters, digits, '-', '_', '.', '@'. */
  public static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
  /** Order ids: {@code <saleId>.<26 Crockford base32 chars>}, so an order names its sale. */
  public static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}\\.[0-9A-HJKMNP-TV-Z]{26}");
  /** Idempotency keys: 1–128 printable ASCII characters without spaces. */
  public static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");

  private Ids() {
  }

  public static boolean isSaleId(String s) {
    return s != null && SALE_ID.matcher(s).matches();
  }

  public static boolean isUserId(String s) {
    return s != null && USER_ID.matcher(s).matches();
  }

  public static boolean isOrderId(String s) {
    return s != null && ORDER_ID.matcher(s).matches();
  }

  public static boolean isIdempotencyKey(String s) {
    return s != null && IDEMPOTENCY_KEY.matcher(s).matches();
  }

  /** The sale an order id belongs to; the caller has checked {@link #isOrderId}. */
  public static String saleOf(String orderId) {
    return orderId.substring(0, orderId.lastIndexOf('.'));
  }
}
