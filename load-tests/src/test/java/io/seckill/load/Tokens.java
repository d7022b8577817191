package io.seckill.load;

import io.seckill.testkit.Jwt;

import java.time.Duration;
import java.time.Instant;

/**
 * The tokens the simulations and the demo send, from the one minter ({@link Jwt}): honest users'
 * and admins', plus the bad ones an abuser would send.
 */
public final class Tokens {

  private final Jwt jwt;
  private final Duration ttl;

  Tokens(String secret, Duration ttl) {
    this.jwt = new Jwt(secret);
    this.ttl = ttl;
  }

  public static Tokens fromSettings() {
    return new Tokens(Settings.jwtSecret(), Duration.ofHours(2));
  }

  public String user(String userId) {
    return jwt.user(userId, ttl);
  }

  public String admin(String userId) {
    return jwt.admin(userId, ttl);
  }

  /** Correctly signed, but its {@code exp} passed an hour ago. */
  String expired(String userId) {
    return jwt.sign(Jwt.claims(userId, false, Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1)));
  }

  /** Well-formed and unexpired, claiming admin, signed with a key the gateway does not know. */
  String forged(String userId) {
    return new Jwt("not-the-secret-not-the-secret-not-the-secret").admin(userId, ttl);
  }

  /** Claims admin with {@code alg: none} and no signature: must never be accepted. */
  String unsigned(String userId) {
    return Jwt.unsecured(Jwt.claims(userId, true, Instant.now(), ttl));
  }
}
