package io.seckill.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small ALTCHA solver, the client side of the proof-of-work bot defence: finds the number
 * {@code n ≤ maxnumber} with {@code SHA-256(salt + n) = challenge}, as the ALTCHA widget does in a
 * browser. JDK only, so it also runs as a script:
 * <pre>
 * curl -s -X POST $GW/api/sales/demo-1/challenge -H "Authorization: Bearer $TOKEN" \
 *   | java testkit/src/main/java/io/seckill/testkit/PowSolver.java
 * </pre>
 * prints the solved payload {@code {"algorithm","challenge","number","salt","signature"}} that
 * {@code POST /api/sales/{id}/ticket} takes.
 */
public final class PowSolver {

  private static final Pattern STRING = Pattern.compile("\"(algorithm|challenge|salt|signature)\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern MAX = Pattern.compile("\"maxnumber\"\\s*:\\s*(\\d+)");

  /** A solution, or null when no number up to {@code maxNumber} (or {@code budget} tries) solves it. */
  public record Solution(long number, long tries, long nanos) {
  }

  private PowSolver() {
  }

  /**
   * Searches {@code 0..min(maxNumber, budget - 1)}; a bot with a low budget gives up early.
   *
   * @return the solution or null
   */
  public static Solution solve(String salt, String challenge, long maxNumber, long budget) {
    byte[] target = HexFormat.of().parseHex(challenge);
    byte[] prefix = salt.getBytes(StandardCharsets.UTF_8);
    byte[] digits = new byte[20];
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    long start = System.nanoTime();
    long last = Math.min(maxNumber, budget - 1);
    for (long n = 0; n <= last; n++) {
      int from = digits.length;
      long rest = n;
      do {
        digits[--from] = (byte) ('0' + rest % 10);
        rest /= 10;
      } while (rest > 0);
      sha.update(prefix);
      sha.update(digits, from, digits.length - from);
      if (MessageDigest.isEqual(sha.digest(), target)) {
        return new Solution(n, n + 1, System.nanoTime() - start);
      }
    }
    return null;
  }

  /** Solves the challenge JSON the gateway answered; returns the payload JSON for the ticket route, or null. */
  public static String solveJson(String challengeJson, long budget) {
    String algorithm = field(challengeJson, "algorithm");
    String challenge = field(challengeJson, "challenge");
    String salt = field(challengeJson, "salt");
    String signature = field(challengeJson, "signature");
    Matcher max = MAX.matcher(challengeJson);
    if (!"SHA-256".equals(algorithm) || challenge == null || salt == null || signature == null || !max.find()) {
      throw new IllegalArgumentException("not an ALTCHA SHA-256 challenge: " + challengeJson);
    }
    Solution solution = solve(salt, challenge, Long.parseLong(max.group(1)), budget);
    return solution == null ? null : payload(algorithm, challenge, solution.number(), salt, signature);
  }

  /** The JSON body of {@code POST /api/sales/{id}/ticket}. */
  public static String payload(String algorithm, String challenge, long number, String salt, String signature) {
    return "{\"algorithm\":\"" + algorithm + "\",\"challenge\":\"" + challenge + "\",\"number\":" + number
        + ",\"salt\":\"" + salt + "\",\"signature\":\"" + signature + "\"}";
  }

  private static String field(String json, String name) {
    Matcher m = STRING.matcher(json);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(2);
      }
    }
    return null;
  }

  /** Reads a challenge JSON on stdin, prints the solved payload (stderr: the time it took). */
  public static void main(String[] args) throws IOException {
    String json = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    long start = System.nanoTime();
    String payload = solveJson(json, Long.MAX_VALUE);
    if (payload == null) {
      System.err.println("no number solves this challenge");
      System.exit(1);
    }
    System.err.printf("solved in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    System.out.println(payload);
  }
}
