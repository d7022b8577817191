package io.seckill.gateway.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Mints JWTs for tests, including the broken and hostile ones the gateway must refuse. */
public final class Tokens {

  private final String secret;

  public Tokens(String secret) {
    this.secret = secret;
  }

  public String user(String userId) {
    return signed(claims(userId, false, 3600));
  }

  public String admin(String userId) {
    return signed(claims(userId, true, 3600));
  }

  public static JsonObject claims(String sub, boolean admin, long ttlSeconds) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("sub", sub)
        .put("roles", admin ? new JsonArray().add("admin") : new JsonArray())
        .put("iat", now).put("exp", now + ttlSeconds);
  }

  public String signed(JsonObject claims) {
    return signed(new JsonObject().put("alg", "HS256").put("typ", "JWT"), claims, secret);
  }

  public static String signed(JsonObject header, JsonObject claims, String secret) {
    String unsigned = b64(header.encode()) + "." + b64(claims.encode());
    return unsigned + "." + hmac(unsigned, secret, "HmacSHA256");
  }

  /** An unsigned token with {@code alg: none}. */
  public static String unsecured(JsonObject claims) {
    return b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode()) + "." + b64(claims.encode()) + ".";
  }

  /** A token signed with HS512 by the right secret: still refused, only HS256 is accepted. */
  public String hs512(JsonObject claims) {
    String unsigned = b64(new JsonObject().put("alg", "HS512").put("typ", "JWT").encode()) + "." + b64(claims.encode());
    return unsigned + "." + hmac(unsigned, secret, "HmacSHA512");
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String hmac(String data, String secret, String algorithm) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
