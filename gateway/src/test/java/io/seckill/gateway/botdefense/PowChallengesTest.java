package io.seckill.gateway.botdefense;

import io.seckill.testkit.PowSolver;
import io.vertx.core.json.JsonObject;
import org.altcha.altcha.Altcha;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PowChallengesTest {

  private static final Instant NOW = Instant.now();
  private static final String KEY = "challenge-key-of-at-least-32-bytes!";

  private static PowChallenges at(Instant now) {
    return new PowChallenges(KEY, 60, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static JsonObject solved(JsonObject challenge) {
    String payload = PowSolver.solveJson(challenge.encode(), Long.MAX_VALUE);
    assertNotNull(payload, "the solver finds the number");
    return new JsonObject(payload);
  }

  @Test
  void aSolvedChallengeIsAcceptedForItsUserAndSaleAndTheLibraryAgrees() throws Exception {
    JsonObject challenge = at(NOW).create("s-1", "alice@example.com", 5_000);
    assertEquals(5_000L, challenge.getLong("maxnumber"));
    assertTrue(challenge.getString("salt").contains("user=alice%40example.com"), challenge.getString("salt"));
    JsonObject solution = solved(challenge);
    Altcha.Payload payload = PowChallenges.parse(solution);
    PowChallenges.Verdict verdict = at(NOW).verify(payload, "s-1", "alice@example.com");
    assertTrue(verdict.accepted(), verdict.refusal());
    assertTrue(verdict.secondsLeft() >= 60 && verdict.secondsLeft() <= 62, "kept as long as the challenge lives");
    assertTrue(Altcha.verifySolution(payload, KEY, true), "the ALTCHA library's own check agrees");
  }

  @Test
  void refusesAnotherUserAnotherSaleExpiryAWrongNumberAndAnotherKey() {
    JsonObject solution = solved(at(NOW).create("s-1", "alice", 2_000));
    Altcha.Payload payload = PowChallenges.parse(solution);
    assertEquals("the challenge was issued to another user", at(NOW).verify(payload, "s-1", "bob").refusal());
    assertEquals("the challenge was issued for another sale", at(NOW).verify(payload, "s-2", "alice").refusal());
    assertTrue(at(NOW.plusSeconds(61)).verify(payload, "s-1", "alice").refusal().contains("expired"));
    Altcha.Payload wrong = PowChallenges.parse(solution.copy().put("number", solution.getLong("number") + 1));
    assertFalse(at(NOW).verify(wrong, "s-1", "alice").accepted());
    PowChallenges otherKey = new PowChallenges("another-key-of-at-least-32-bytes!!!", 60, Clock.fixed(NOW, ZoneOffset.UTC));
    assertFalse(otherKey.verify(payload, "s-1", "alice").accepted(), "signed with another key");
  }

  @Test
  void anEditedSaltBreaksTheChallenge() {
    JsonObject solution = solved(at(NOW).create("s-1", "alice", 2_000));
    String salt = solution.getString("salt");
    for (String edited : new String[] {salt.replace("user=alice", "user=bob"), salt.replace("sale=s-1", "sale=s-2"),
        salt.replaceAll("expires=\\d+", "expires=99999999999")}) {
      assertFalse(at(NOW).verify(PowChallenges.parse(solution.copy().put("salt", edited)), "s-1", "alice").accepted(),
          edited);
    }
  }

  @Test
  void parseRefusesMalformedBodies() {
    JsonObject ok = new JsonObject().put("algorithm", "SHA-256").put("challenge", "a".repeat(64)).put("number", 5)
        .put("salt", "abc?x=1&").put("signature", "b".repeat(64));
    PowChallenges.parse(ok);
    assertThrows(IllegalArgumentException.class, () -> PowChallenges.parse(null));
    assertThrows(IllegalArgumentException.class, () -> PowChallenges.parse(ok.copy().put("extra", 1)));
    assertThrows(IllegalArgumentException.class, () -> PowChallenges.parse(ok.copy().put("number", -1)));
    assertThrows(IllegalArgumentException.class, () -> PowChallenges.parse(ok.copy().put("number", "5")));
    assertThrows(IllegalArgumentException.class, () -> PowChallenges.parse(ok.copy().put("challenge", "XYZ")));
    assertThrows(IllegalArgumentException.class, () -> PowChallenges.parse(ok.copy().put("salt", "s".repeat(513))));
    JsonObject unsigned = ok.copy();
    unsigned.remove("signature");
    assertThrows(IllegalArgumentException.class, () -> PowChallenges.parse(unsigned));
  }
}
