package io.seckill.gateway.ratelimit;

/**
 * The answer of the rate limits for one purchase: admitted, or rejected with the limit that
 * refused it and how long until that limit has a token again.
 */
public record Admission(boolean isAdmitted, String rejectedBy, long retryAfterSeconds) {

  private static final Admission ADMITTED = new Admission(true, null, 0);

  public static Admission pass() {
    return ADMITTED;
  }

  public static Admission rejected(String limit, long nanosToWait) {
    long seconds = Math.max(1, (nanosToWait + 999_999_999L) / 1_000_000_000L);
    return new Admission(false, limit, seconds);
  }
}
