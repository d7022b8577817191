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

  private final byte[] secret;
  private final Duration ttl;

  Tokens(String secret, Duration ttl) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.ttl = ttl;
  }

  static Tokens fromSettings() {
    return new Tokens(Settings.jwtSecret(), Duration.ofHours(2));
  }

  String user(String userId) {
    Instant now = Instant.now();
    return sign(secret, userId, "[]", now, now.plus(ttl));
  }

  String admin(String userId) {
    Instant now = Instant.now();
    return sign(secret, userId, "[\"admin\"]", now, now.plus(ttl));
  }

  /** Correctly signed, but its {@code exp} passed an hour ago. */
  String expired(String userId) {
    Instant past = Instant.now().minus(Duration.ofHours(2));
    return sign(secret, userId, "[]", past, past.plus(Duration.ofHours(1)));
  }

  /** Well-formed and unexpired, signed with a key the gateway does not know. */
  String forged(String userId) {
    Instant now = Instant.now();
    return sign("not-the-secret-not-the-secret-not-the-secret".getBytes(StandardCharsets.UTF_8),
        userId, "[\"admin\"]", now, now.plus(ttl));
  }

  /** Claims admin with {@code alg: none} and no signature: must never be accepted. */
  String unsigned(String userId) {
    Instant now = Instant.now();
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    return header + "." + payload(userId, "[\"admin\"]", now, now.plus(ttl)) + ".";
  }

  private static String sign(byte[] key, String userId, String roles, Instant issued, Instant expires) {
    String signingInput = HEADER + "." + payload(userId, roles, issued, expires);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
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
