package io.seckill.gateway.botdefense;

import io.vertx.core.json.JsonObject;
import org.altcha.altcha.Altcha;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ALTCHA proof-of-work challenges bound to one user and one sale (the ALTCHA Java library writes
 * and checks the protocol). The salt carries {@code sale}, {@code user} and {@code expires} as
 * ALTCHA salt parameters: the challenge hash covers the salt and the HMAC covers the hash, so none
 * of them can be changed without the secret, and the library's trailing {@code &} keeps a solver
 * from splicing digits of its number into the last parameter.
 */
public final class PowChallenges {

  private static final Set<String> PAYLOAD_FIELDS = Set.of("algorithm", "challenge", "number", "salt", "signature");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final int MAX_SALT = 512;

  private final String key;
  private final long ttlSeconds;
  private final Clock clock;

  public PowChallenges(String key, long ttlSeconds, Clock clock) {
    this.key = key;
    this.ttlSeconds = ttlSeconds;
    this.clock = clock;
  }

  /** {@code {"algorithm","challenge","maxnumber","salt","signature"}}: what an ALTCHA solver takes. */
  public JsonObject create(String saleId, String userId, int difficulty) {
    try {
      Altcha.Challenge challenge = Altcha.createChallenge(new Altcha.ChallengeOptions()
          .setAlgorithm(Altcha.Algorithm.SHA256)
          .setMaxNumber((long) difficulty)
          .setSecureRandomNumber(true)
          .setHmacKey(key)
          .setExpires(clock.instant().getEpochSecond() + ttlSeconds)
          .addParam("sale", saleId)
          .addParam("user", userId));
      return new JsonObject()
          .put("algorithm", challenge.algorithm)
          .put("challenge", challenge.challenge)
          .put("maxnumber", challenge.maxnumber)
          .put("salt", challenge.salt)
          .put("signature", challenge.signature);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create an ALTCHA challenge", e);
    }
  }

  /**
   * Strictly reads a solution body {@code {"algorithm","challenge","number","salt","signature"}}.
   *
   * @throws IllegalArgumentException with a message fit for a 400 {@code detail}
   */
  public static Altcha.Payload parse(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("body must be the solved challenge {\"algorithm\",\"challenge\",\"number\","
          + "\"salt\",\"signature\"}");
    }
    for (String field : json.fieldNames()) {
      if (!PAYLOAD_FIELDS.contains(field)) {
        throw new IllegalArgumentException("unknown field '" + field + "'");
      }
    }
    Altcha.Payload payload = new Altcha.Payload();
    payload.algorithm = string(json, "algorithm", 16);
    payload.challenge = string(json, "challenge", 64);
    payload.salt = string(json, "salt", MAX_SALT);
    payload.signature = string(json, "signature", 64);
    if (!HEX64.matcher(payload.challenge).matches() || !HEX64.matcher(payload.signature).matches()) {
      throw new IllegalArgumentException("'challenge' and 'signature' must be 64 lower-case hex digits");
    }
    Object number = json.getValue("number");
    if (!(number instanceof Integer || number instanceof Long) || ((Number) number).longValue() < 0
        || ((Number) number).longValue() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("'number' must be a non-negative integer");
    }
    payload.number = ((Number) number).longValue();
    return payload;
  }

  /**
   * Checks a solution: the number solves the challenge and the challenge was signed here (the ALTCHA
   * library recomputes both; compared here in constant time), it has not expired, and it was issued
   * to this user for this sale.
   */
  public Verdict verify(Altcha.Payload payload, String saleId, String userId) {
    Map<String, String> params;
    try {
      if (!"SHA-256".equals(payload.algorithm)) {
        return Verdict.refused("only SHA-256 challenges are issued here");
      }
      Altcha.Challenge expected = Altcha.createChallenge(new Altcha.ChallengeOptions()
          .setAlgorithm(Altcha.Algorithm.SHA256)
          .setHmacKey(key)
          .setNumber(payload.number)
          .setSalt(payload.salt));
      // the library compares with String.equals; a signature check wants constant time
      if (!same(expected.challenge, payload.challenge) || !same(expected.signature, payload.signature)) {
        return Verdict.refused("the number does not solve the challenge, or the challenge was not issued here");
      }
      params = Altcha.extractParams(payload.salt);
    } catch (Exception e) {
      return Verdict.refused("the challenge was not issued here");
    }
    long expires;
    try {
      expires = Long.parseLong(params.getOrDefault("expires", ""));
    } catch (NumberFormatException e) {
      return Verdict.refused("the challenge carries no expiry");
    }
    long now = clock.instant().getEpochSecond();
    if (now > expires) {
      return Verdict.refused("the challenge has expired; ask for a new one");
    }
    if (!saleId.equals(params.get("sale"))) {
      return Verdict.refused("the challenge was issued for another sale");
    }
    if (!userId.equals(params.get("user"))) {
      return Verdict.refused("the challenge was issued to another user");
    }
    return Verdict.accepted(expires - now + 1);
  }

  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  private static String string(JsonObject json, String field, int max) {
    if (!(json.getValue(field) instanceof String s) || s.isEmpty() || s.length() > max) {
      throw new IllegalArgumentException("'" + field + "' must be a string of 1-" + max + " characters");
    }
    return s;
  }

  /**
   * The outcome of {@link #verify}.
   *
   * @param secondsLeft until the challenge expires: how long its "already used" mark must be kept
   */
  public record Verdict(boolean accepted, String refusal, long secondsLeft) {

    static Verdict accepted(long secondsLeft) {
      return new Verdict(true, null, secondsLeft);
    }

    static Verdict refused(String why) {
      return new Verdict(false, why, 0);
    }
  }
}
