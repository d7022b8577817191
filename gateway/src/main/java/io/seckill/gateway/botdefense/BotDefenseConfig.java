package io.seckill.gateway.botdefense;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The proof-of-work settings of the gateway.
 *
 * @param secret              {@code SECKILL_POW_SECRET}; every gateway replica holds the same one
 * @param challengeTtlSeconds how long a challenge may be solved and traded for a ticket
 * @param ticketTtlSeconds    how long a purchase ticket is accepted
 * @param ratePerUser         challenges plus ticket trades per second for one user ({@code
 *                            SECKILL_RATE_CHALLENGES_PER_USER}, 0 = off), in buckets of their own so
 *                            that solving never spends the buyer's purchase budget
 */
public record BotDefenseConfig(String secret, long challengeTtlSeconds, long ticketTtlSeconds, long ratePerUser) {

  /**
   * The key ALTCHA signs challenges with. One secret, two keys derived from it for two purposes,
   * so that nothing signed as a challenge can pass as a ticket or the other way round.
   */
  public String challengeKey() {
    return HexFormat.of().formatHex(derive("seckill altcha challenge"));
  }

  /** The key purchase tickets are signed with. */
  public byte[] ticketKey() {
    return derive("seckill purchase ticket");
  }

  private byte[] derive(String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
