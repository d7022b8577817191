package io.seckill.load;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * HS256 JWTs as the gateway expects them ({@code sub} = user id, {@code roles}), plus the bad
 * ones an abuser would send. Shared by every simulation and the demo.
 */
final class Tokens {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");

  private final Duration ttl;
  /**
   * One initialised Mac per load-generator thread for the real secret: a crowd signs a token per
   * virtual user, and looking a Mac up per token cost the generator CPU the stack needed.
   */
  private final ThreadLocal<Mac> macs;

  Tokens(String secret, Duration ttl) {
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    this.ttl = ttl;
    this.macs = ThreadLocal.withInitial(() -> mac(key));
  }

  static Tokens fromSettings() {
    return new Tokens(Settings.jwtSecret(), Duration.ofHours(2));
  }

  String user(String userId) {
    Instant now = Instant.now();
    return sign(macs.get(), userId, "[]", now, now.plus(ttl));
  }

  String admin(String userId) {
    Instant now = Instant.now();
    return sign(macs.get(), userId, "[\"admin\"]", now, now.plus(ttl));
  }

  /** Correctly signed, but its {@code exp} passed an hour ago. */
  String expired(String userId) {
    Instant past = Instant.now().minus(Duration.ofHours(2));
    return sign(macs.get(), userId, "[]", past, past.plus(Duration.ofHours(1)));
  }

  /** Well-formed and unexpired, signed with a key the gateway does not know. */
  String forged(String userId) {
    Instant now = Instant.now();
    return sign(mac("not-the-secret-not-the-secret-not-the-secret".getBytes(StandardCharsets.UTF_8)),
        userId, "[\"admin\"]", now, now.plus(ttl));
  }

  /** Claims admin with {@code alg: none} and no signature: must never be accepted. */
  String unsigned(String userId) {
    Instant now = Instant.now();
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    return header + "." + payload(userId, "[\"admin\"]", now, now.plus(ttl)) + ".";
  }

  /** {@code mac} is reset by each doFinal, so a thread's Mac signs its tokens one after another. */
  private static String sign(Mac mac, String userId, String roles, Instant issued, Instant expires) {
    String signingInput = HEADER + "." + payload(userId, roles, issued, expires);
    return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static String payload(String userId, String roles, Instant issued, Instant expires) {
    // user ids are restricted to [A-Za-z0-9_.@-] (Ids.USER_ID), so no JSON escaping is needed
    return b64("{\"sub\":\"" + userId + "\",\"roles\":" + roles + ",\"iat\":" + issued.getEpochSecond()
        + ",\"exp\":" + expires.getEpochSecond() + "}");
  }

  private static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
