package io.seckill.stock.reservation;

import io.vertx.redis.client.Response;

/** What one run of reserve-5.lua decided. Expected refusals are values, not exceptions. */
public sealed interface ReserveOutcome {

  /** The outcome's name, for metrics. */
  String label();

  /** A new reservation, or ({@code replayed}) the first one for a repeated idempotency key. */
  record Reserved(Reservation reservation, boolean replayed) implements ReserveOutcome {
    public String label() {
      return replayed ? "REPLAYED" : "RESERVED";
    }
  }

  record SaleNotFound() implements ReserveOutcome {
    public String label() {
      return "SALE_NOT_FOUND";
    }
  }

  record NotStarted() implements ReserveOutcome {
    public String label() {
      return "SALE_NOT_STARTED";
    }
  }

  record Ended() implements ReserveOutcome {
    public String label() {
      return "SALE_ENDED";
    }
  }

  record LimitExceeded(int held) implements ReserveOutcome {
    public String label() {
      return "LIMIT_EXCEEDED";
    }
  }

  /** {@code available} 0: the sale is empty; more: fewer units left than asked for. */
  record SoldOut(int available) implements ReserveOutcome {
    public String label() {
      return "SOLD_OUT";
    }
  }

  /** Maps the script's reply (codes in the header of lua/reserve-5.lua). */
  static ReserveOutcome fromReply(Response reply) {
    int code = reply.get(0).toInteger();
    return switch (code) {
      case 1, 2 -> new Reserved(Reservation.parse(reply.get(1).toString(), reply.get(2).toString()), code == 2);
      case -1 -> new SaleNotFound();
      case -2 -> new NotStarted();
      case -3 -> new Ended();
      case -4 -> new LimitExceeded(reply.get(1).toInteger());
      case -5 -> new SoldOut(reply.get(1).toInteger());
      default -> throw new IllegalStateException("reserve-5.lua answered " + reply);
    };
  }
}
