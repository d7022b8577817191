package io.seckill.gateway.support;

import io.seckill.testkit.Jwt;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The gateway tests' tokens, from the one minter ({@link Jwt}), with claims as a
 * {@link JsonObject} so a test can add, change or drop any of them.
 */
public final class Tokens {

  private final Jwt jwt;

  public Tokens(String secret) {
    this.jwt = new Jwt(secret);
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
    return jwt.sign(claims.encode());
  }

  public static String signed(JsonObject header, JsonObject claims, String secret) {
    return new Jwt(secret).sign(header.encode(), claims.encode());
  }

  /** An unsigned token with {@code alg: none}. */
  public static String unsecured(JsonObject claims) {
    return Jwt.unsecured(claims.encode());
  }

  /** A token signed with HS512 by the right secret: still refused, only HS256 is accepted. */
  public String hs512(JsonObject claims) {
    return jwt.hs512(claims.encode());
  }
}
