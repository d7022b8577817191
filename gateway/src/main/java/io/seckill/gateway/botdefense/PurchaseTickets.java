package io.seckill.gateway.botdefense;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * Purchase tickets: {@code <expiresEpochSeconds>.<base64url HMAC-SHA256>} over the sale, the user
 * and the expiry. The ticket names neither sale nor user: the purchase supplies both (path and
 * token), so a ticket of another user or sale simply fails its HMAC. Checking one costs one
 * HMAC-SHA256 of ~100 bytes and no I/O: no key derivation, no lookup, no allocation beyond the
 * MAC's output. A ticket may be presented again until it expires (a retry of a lost answer must
 * not cost another solve); the per-user limit and rate limit still apply to every use.
 */
public final class PurchaseTickets {

  /** The header a purchase of a defended sale carries its ticket in. */
  public static final String HEADER = "Seckill-Ticket";
  private static final int MAC_CHARS = 43; // 32 bytes, base64url without padding
  private static final int MAX_EXPIRY_DIGITS = 12;

  private final ThreadLocal<Mac> macs;
  private final long ttlSeconds;
  private final Clock clock;

  public PurchaseTickets(byte[] key, long ttlSeconds, Clock clock) {
    this.ttlSeconds = ttlSeconds;
    this.clock = clock;
    SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
    // Mac is not thread-safe; one per event loop thread, initialised once
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(spec);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
      }
    });
  }

  /** A ticket for {@code userId} to buy in {@code saleId}, good for the configured lifetime. */
  public Issued issue(String saleId, String userId) {
    long expires = clock.instant().getEpochSecond() + ttlSeconds;
    return new Issued(expires + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(saleId, userId, expires)),
        Instant.ofEpochSecond(expires));
  }

  /** A ticket and the instant it stops being accepted. */
  public record Issued(String ticket, Instant expiresAt) {
  }

  public long ttlSeconds() {
    return ttlSeconds;
  }

  /** Whether {@code ticket} was issued by a gateway with this key to this user for this sale and has not expired. */
  public Check check(String ticket, String saleId, String userId) {
    int dot = ticket.indexOf('.');
    if (dot < 1 || dot > MAX_EXPIRY_DIGITS || ticket.length() != dot + 1 + MAC_CHARS) {
      return Check.MALFORMED;
    }
    long expires = 0;
    for (int i = 0; i < dot; i++) {
      char c = ticket.charAt(i);
      if (c < '0' || c > '9') {
        return Check.MALFORMED;
      }
      expires = expires * 10 + (c - '0');
    }
    byte[] presented;
    try {
      presented = Base64.getUrlDecoder().decode(ticket.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Check.MALFORMED;
    }
    // the HMAC first: whether a forged ticket has expired is nobody's business
    if (!MessageDigest.isEqual(presented, mac(saleId, userId, expires))) {
      return Check.NOT_ISSUED_HERE;
    }
    return clock.instant().getEpochSecond() < expires ? Check.VALID : Check.EXPIRED;
  }

  /** What {@link #check} found. */
  public enum Check {
    VALID, MALFORMED, NOT_ISSUED_HERE, EXPIRED;

    public String detail() {
      return switch (this) {
        case VALID -> "valid";
        case MALFORMED -> "the " + HEADER + " header is not a ticket";
        case NOT_ISSUED_HERE -> "the ticket was not issued to this user for this sale";
        case EXPIRED -> "the ticket has expired; solve a new challenge";
      };
    }
  }

  private byte[] mac(String saleId, String userId, long expires) {
    // ids cannot contain a newline (contracts Ids), so the fields cannot be shifted into each other
    return macs.get().doFinal((saleId + "\n" + userId + "\n" + expires).getBytes(StandardCharsets.UTF_8));
  }
}
