package io.seckill.contracts;

/**
 * The stable {@code code} of every problem+json answer, public and internal. Clients and load
 * tests script against these names: never rename one.
 */
public enum ErrorCode {
  BAD_REQUEST(400, "Bad request"),
  UNAUTHORIZED(401, "Unauthorized"),
  FORBIDDEN(403, "Forbidden"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  PAYLOAD_TOO_LARGE(413, "Payload too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  SALE_NOT_FOUND(404, "Sale not found"),
  ORDER_NOT_FOUND(404, "Order not found"),
  SALE_EXISTS(409, "Sale exists"),
  SALE_LIVE(409, "Sale is live"),
  SOLD_OUT(409, "Sold out"),
  LIMIT_EXCEEDED(409, "Per-user limit exceeded"),
  SALE_NOT_STARTED(409, "Sale not started"),
  SALE_ENDED(409, "Sale ended"),
  ORDER_EXPIRED(409, "Order expired"),
  ORDER_NOT_READY(409, "Order not ready"),
  RATE_LIMITED(429, "Too many requests"),
  /** A purchase of a sale with bot defence came without a {@code Seckill-Ticket}. */
  TICKET_REQUIRED(403, "Purchase ticket required"),
  /** The ticket is forged, expired, or was issued to another user or for another sale. */
  TICKET_INVALID(403, "Purchase ticket invalid"),
  /** The challenge solution is wrong, forged, expired, or for another user or sale. */
  SOLUTION_INVALID(403, "Challenge solution invalid"),
  /** The challenge solution was already traded for a ticket. */
  SOLUTION_USED(403, "Challenge solution already used"),
  /** A challenge or ticket was asked for a sale without bot defence. */
  NO_BOT_DEFENSE(409, "Sale has no bot defence"),
  /**
   * A sale snapshot was asked while the creation consumer group has not applied every creation
   * message the broker holds: MySQL lacks orders that Redis had, so a restore from it would sell
   * their units twice. Nothing changed; ask again ({@code Retry-After}).
   */
  CREATIONS_IN_FLIGHT(409, "Order creations in flight"),
  INTERNAL_ERROR(500, "Internal error"),
  UNAVAILABLE(503, "Service unavailable");

  private final int status;
  private final String title;

  ErrorCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The problem {@code type} URI for this code. */
  public String type() {
    return "https://seckill.io/problems/" + name().toLowerCase().replace('_', '-');
  }
}
