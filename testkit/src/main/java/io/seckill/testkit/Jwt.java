package io.seckill.testkit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The one JWT minter of the project: tests, load tests, the demo and {@code ./seckill token}
 * sign with it. HS256 tokens as the gateway expects them ({@code sub} = user id, {@code roles},
 * {@code iat}, {@code exp}), plus the hostile shapes a gateway must refuse.
 *
 * <p>Only the JDK: {@code ./seckill token} runs this file directly ({@code java Jwt.java USER}),
 * with nothing built.
 */
public final class Jwt {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

  private final byte[] key;
  /**
   * One initialised Mac per thread: a load test signs a token per virtual user, and looking a Mac
   * up per token cost the load generator CPU the stack under test needed.
   */
  private final ThreadLocal<Mac> macs;

  public Jwt(String secret) {
    this.key = secret.getBytes(StandardCharsets.UTF_8);
    this.macs = ThreadLocal.withInitial(() -> mac("HmacSHA256", key));
  }

  /** A user's token, valid for {@code ttl}. */
  public String user(String userId, Duration ttl) {
    return sign(claims(userId, false, Instant.now(), ttl));
  }

  /** An admin's token ({@code "roles":["admin"]}), valid for {@code ttl}. */
  public String admin(String userId, Duration ttl) {
    return sign(claims(userId, true, Instant.now(), ttl));
  }

  /**
   * The claims JSON the gateway expects. User ids are restricted to {@code [A-Za-z0-9_.@-]}, so
   * no escaping is needed.
   */
  public static String claims(String userId, boolean admin, Instant issued, Duration ttl) {
    return "{\"sub\":\"" + userId + "\",\"roles\":" + (admin ? "[\"admin\"]" : "[]") + ",\"iat\":"
        + issued.getEpochSecond() + ",\"exp\":" + issued.plus(ttl).getEpochSecond() + "}";
  }

  /** {@code claimsJson} signed with HS256 and this minter's secret. */
  public String sign(String claimsJson) {
    return sign(HS256, claimsJson);
  }

  /** {@code claimsJson} under {@code headerJson}, signed with HS256 and this minter's secret. */
  public String sign(String headerJson, String claimsJson) {
    String input = b64(headerJson) + "." + b64(claimsJson);
    return input + "." + B64.encodeToString(macs.get().doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  /** {@code claimsJson} signed with HS512 by the right secret: a gateway that pins HS256 refuses it. */
  public String hs512(String claimsJson) {
    String input = b64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "." + b64(claimsJson);
    return input + "." + B64.encodeToString(mac("HmacSHA512", key).doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  /** {@code alg: none} and no signature: must never be accepted. */
  public static String unsecured(String claimsJson) {
    return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claimsJson) + ".";
  }

  private static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Mac mac(String algorithm, byte[] key) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }

  /**
   * {@code ./seckill token USER [--admin]}: prints a token signed with {@code SECKILL_JWT_SECRET},
   * valid for {@code SECKILL_TOKEN_TTL} seconds (default 3600). {@code ./seckill token --users
   * PREFIX COUNT}: COUNT user tokens, one a line, for PREFIX-1 to PREFIX-COUNT (a crowd of distinct
   * buyers for a bench; one JVM start instead of COUNT).
   */
  public static void main(String[] args) {
    boolean crowd = args.length == 3 && "--users".equals(args[0]) && args[1].matches("[A-Za-z0-9_.@-]{1,50}")
        && args[2].matches("[1-9][0-9]{0,6}");
    if (!crowd && (args.length < 1 || args.length > 2 || !args[0].matches("[A-Za-z0-9_.@-]{1,64}")
        || (args.length > 1 && !"--admin".equals(args[1])))) {
      System.err.println("usage: ./seckill token USER [--admin]   (USER: 1-64 of A-Z a-z 0-9 _ . @ -)\n"
          + "       ./seckill token --users PREFIX COUNT   (COUNT user tokens, PREFIX-1 to PREFIX-COUNT, one a line)");
      System.exit(2);
    }
    String secret = System.getenv("SECKILL_JWT_SECRET");
    if (secret == null || secret.isEmpty()) {
      System.err.println("SECKILL_JWT_SECRET is not set");
      System.exit(2);
    }
    String ttl = System.getenv().getOrDefault("SECKILL_TOKEN_TTL", "3600");
    Jwt jwt = new Jwt(secret);
    Duration lifetime = Duration.ofSeconds(Long.parseLong(ttl.trim()));
    if (crowd) {
      int count = Integer.parseInt(args[2]);
      StringBuilder out = new StringBuilder(count * 200);
      for (int i = 1; i <= count; i++) {
        out.append(jwt.user(args[1] + "-" + i, lifetime)).append('\n');
      }
      System.out.print(out);
      System.out.flush();
      return;
    }
    System.out.println(args.length > 1 ? jwt.admin(args[0], lifetime) : jwt.user(args[0], lifetime));
  }
}
