package io.seckill.gateway.bench;

import io.seckill.gateway.auth.TokenVerifier;
import io.seckill.gateway.botdefense.BotDefenseConfig;
import io.seckill.gateway.botdefense.PowChallenges;
import io.seckill.gateway.botdefense.PurchaseTickets;
import io.seckill.gateway.support.Tokens;
import io.seckill.testkit.PowSolver;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.altcha.altcha.Altcha;

import java.time.Clock;
import java.util.Arrays;

/**
 * What the proof-of-work defence costs, on one thread of this machine: the gateway's ticket check
 * (the purchase path), its solution check (the ticket route, without the Redis mark), a JWT
 * verification without the memo (for scale), and a client's solve time at two difficulties.
 * Prints medians of rounds; run with {@code load-tests/bench/bot-defense-cost.sh}.
 *
 * <p>Arguments: difficulties to solve at (default 50000 500000), solves per difficulty (default 21).
 */
public final class BotDefenseCost {

  private static volatile Object sink;

  private BotDefenseCost() {
  }

  public static void main(String[] args) throws Exception {
    int[] difficulties = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {50_000, 500_000};
    int solves = args.length > 1 ? Integer.parseInt(args[1]) : 21;
    BotDefenseConfig config = new BotDefenseConfig("bench-proof-of-work-secret-of-32-bytes!!", 60, 60, 0);
    PurchaseTickets tickets = new PurchaseTickets(config.ticketKey(), 60, Clock.systemUTC());
    PowChallenges challenges = new PowChallenges(config.challengeKey(), 60, Clock.systemUTC());

    String ticket = tickets.issue("bench-sale", "bench-user").ticket();
    System.out.printf("ticket check (valid ticket, one HMAC-SHA256): %.0f ns median of 5 rounds%n",
        nanosPerOp(2_000_000, () -> sink = tickets.check(ticket, "bench-sale", "bench-user")));
    String forged = ticket.substring(0, ticket.length() - 2) + "AA";
    System.out.printf("ticket check (forged ticket): %.0f ns%n",
        nanosPerOp(2_000_000, () -> sink = tickets.check(forged, "bench-sale", "bench-user")));

    JsonObject challenge = challenges.create("bench-sale", "bench-user", 5_000);
    Altcha.Payload payload = PowChallenges.parse(new JsonObject(PowSolver.solveJson(challenge.encode(), Long.MAX_VALUE)));
    System.out.printf("solution check (ALTCHA: SHA-256 + HMAC, params), without the Redis mark: %.0f ns%n",
        nanosPerOp(200_000, () -> sink = challenges.verify(payload, "bench-sale", "bench-user")));
    System.out.printf("challenge creation: %.0f ns%n",
        nanosPerOp(200_000, () -> sink = challenges.create("bench-sale", "bench-user", 50_000)));

    Vertx vertx = Vertx.vertx();
    try {
      String secret = "bench-jwt-secret-of-at-least-32-bytes!!!";
      TokenVerifier jwt = new TokenVerifier(vertx, secret, 0);
      String header = "Bearer " + new Tokens(secret).user("bench-user");
      System.out.printf("JWT verification, memo off (for scale): %.0f ns%n",
          nanosPerOp(200_000, () -> sink = jwt.verify(header)));
    } finally {
      vertx.close();
    }

    for (int difficulty : difficulties) {
      long[] millis = new long[solves];
      for (int i = 0; i < solves; i++) {
        JsonObject c = challenges.create("bench-sale", "bench-user", difficulty);
        long start = System.nanoTime();
        if (PowSolver.solveJson(c.encode(), Long.MAX_VALUE) == null) {
          throw new AssertionError("unsolved");
        }
        millis[i] = (System.nanoTime() - start) / 1_000_000;
      }
      Arrays.sort(millis);
      System.out.printf("solve at difficulty %d: median %d ms, p90 %d ms, max %d ms (%d solves, JDK SHA-256, one thread)%n",
          difficulty, millis[solves / 2], millis[(int) (solves * 0.9)], millis[solves - 1], solves);
    }
  }

  /** Median over 5 rounds (after one unmeasured) of the time per call. */
  private static double nanosPerOp(int calls, Runnable op) {
    double[] rounds = new double[5];
    for (int round = -1; round < rounds.length; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        op.run();
      }
      if (round >= 0) {
        rounds[round] = (System.nanoTime() - start) / (double) calls;
      }
    }
    Arrays.sort(rounds);
    return rounds[2];
  }
}
