package io.seckill.load;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/** The sale one run creates: a fresh id every time, so runs never see each other's state. */
public record Sale(String id, String item, int stock, int perUserLimit, Instant startsAt, Instant endsAt,
            Duration paymentWindow, int powDifficulty) {

  /** A sale that opens now and stays open for an hour. */
  public static Sale openNow(String prefix, int stock, int perUserLimit, Duration paymentWindow) {
    String id = prefix + "-" + Long.toString(System.currentTimeMillis(), 36)
        + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    // starts a little in the past: a gateway clock a few ms behind must not answer SALE_NOT_STARTED
    Instant now = Instant.now();
    return new Sale(id, "load test item " + id, stock, perUserLimit, now.minusSeconds(5),
        now.plus(Duration.ofHours(1)), paymentWindow, 0);
  }

  /** The same sale with proof-of-work bot defence at {@code difficulty}; 0 = none. */
  public Sale withProofOfWork(int difficulty) {
    return new Sale(id, item, stock, perUserLimit, startsAt, endsAt, paymentWindow, difficulty);
  }

  public String toJson() {
    return "{\"id\":\"" + id + "\",\"item\":\"" + item + "\",\"stock\":" + stock
        + ",\"perUserLimit\":" + perUserLimit + ",\"startsAt\":\"" + startsAt
        + "\",\"endsAt\":\"" + endsAt + "\",\"paymentWindow\":\"" + paymentWindow + "\""
        + (powDifficulty > 0 ? ",\"botDefense\":{\"type\":\"proof-of-work\",\"difficulty\":" + powDifficulty + "}" : "")
        + "}";
  }

  public String challengePath() {
    return "/api/sales/" + id + "/challenge";
  }

  public String ticketPath() {
    return "/api/sales/" + id + "/ticket";
  }

  public String purchasePath() {
    return "/api/sales/" + id + "/purchase";
  }
}
