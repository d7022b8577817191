package io.seckill.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BotDefenseTest {

  private static final String RANGE = "'botDefense.difficulty' must be between 1000 and 10000000";

  private static JsonObject pow(Object difficulty) {
    return new JsonObject().put("type", "proof-of-work").put("difficulty", difficulty);
  }

  private static String refusal(Object json) {
    return assertThrows(IllegalArgumentException.class, () -> BotDefense.fromJson(json)).getMessage();
  }

  @Test
  void noneIsOffAndWritesOnlyItsType() {
    assertFalse(BotDefense.NONE.isOn());
    assertEquals(0, BotDefense.NONE.difficulty());
    assertEquals(new JsonObject().put("type", "none"), BotDefense.NONE.toJson());
    assertEquals("none", BotDefense.NONE.toText());
    assertEquals(BotDefense.NONE, new BotDefense(0));
  }

  @Test
  void proofOfWorkIsOnAndWritesItsDifficulty() {
    BotDefense defense = BotDefense.proofOfWork(50_000);
    assertTrue(defense.isOn());
    assertEquals(50_000, defense.difficulty());
    assertEquals(pow(50_000), defense.toJson());
    assertEquals("proof-of-work:50000", defense.toText());
  }

  @Test
  void theDifficultyBoundsAreInclusive() {
    assertEquals(BotDefense.MIN_DIFFICULTY, BotDefense.proofOfWork(1_000).difficulty());
    assertEquals(BotDefense.MAX_DIFFICULTY, BotDefense.proofOfWork(10_000_000).difficulty());
    for (int difficulty : new int[] {1, 999, 10_000_001, -1, -50_000, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      assertEquals(RANGE, assertThrows(IllegalArgumentException.class, () -> new BotDefense(difficulty)).getMessage(),
          String.valueOf(difficulty));
      assertThrows(IllegalArgumentException.class, () -> BotDefense.proofOfWork(difficulty), String.valueOf(difficulty));
    }
  }

  @Test
  void proofOfWorkWithoutDifficultyIsRefusedNotTurnedOff() {
    assertEquals(RANGE, assertThrows(IllegalArgumentException.class, () -> BotDefense.proofOfWork(0)).getMessage());
  }

  @Test
  void theTextRoundTripsAtEveryDifficulty() {
    for (BotDefense defense : new BotDefense[] {BotDefense.NONE, BotDefense.proofOfWork(1_000),
        BotDefense.proofOfWork(50_000), BotDefense.proofOfWork(10_000_000)}) {
      assertEquals(defense, BotDefense.fromText(defense.toText()), defense.toText());
    }
    assertSame(BotDefense.NONE, BotDefense.fromText(null), "a row stored before the field existed");
  }

  @Test
  void anyOtherTextIsRefusedNamingIt() {
    for (String text : new String[] {"", "NONE", "None", " none", "proof-of-work", "proof-of-work:", "proof-of-work:x",
        "proof-of-work: 5000", "proof-of-work:5000 ", "proof-of-work:5e4", "proof-of-work:99999999999",
        "proof-of-work-5000", "pow:5000", "captcha"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BotDefense.fromText(text), text);
      assertEquals("not a bot defence: '" + text + "'", e.getMessage());
    }
  }

  @Test
  void aStoredDifficultyOutOfRangeIsRefused() {
    for (String text : new String[] {"proof-of-work:0", "proof-of-work:999", "proof-of-work:10000001",
        "proof-of-work:-5000"}) {
      assertThrows(IllegalArgumentException.class, () -> BotDefense.fromText(text), text);
    }
  }

  @Test
  void theJsonRoundTrips() {
    assertSame(BotDefense.NONE, BotDefense.fromJson(null), "absent is none");
    assertEquals(BotDefense.NONE, BotDefense.fromJson(BotDefense.NONE.toJson()));
    BotDefense defense = BotDefense.proofOfWork(50_000);
    assertEquals(defense, BotDefense.fromJson(defense.toJson()));
    assertEquals(defense, BotDefense.fromJson(pow(50_000L)), "a long difficulty in range is read");
    assertEquals(defense, BotDefense.fromJson(new JsonObject("{\"difficulty\":50000,\"type\":\"proof-of-work\"}")),
        "field order does not matter");
  }

  @Test
  void aValueThatIsNotAnObjectIsRefused() {
    for (Object value : new Object[] {"none", "proof-of-work:5000", 5_000, true, new JsonArray().add("none")}) {
      assertTrue(refusal(value).startsWith("'botDefense' must be an object"), String.valueOf(value));
    }
  }

  @Test
  void anUnknownOrMissingTypeIsRefused() {
    String typeRule = "'botDefense.type' must be 'none' or 'proof-of-work'";
    assertEquals(typeRule, refusal(new JsonObject()));
    assertEquals(typeRule, refusal(new JsonObject().put("difficulty", 5_000)));
    assertEquals(typeRule, refusal(new JsonObject().put("type", "NONE")));
    assertEquals(typeRule, refusal(new JsonObject().put("type", "captcha")));
    assertEquals(typeRule, refusal(new JsonObject().put("type", 1)));
    assertEquals(typeRule, refusal(new JsonObject().putNull("type")));
  }

  @Test
  void eachTypeTakesOnlyItsOwnFields() {
    assertEquals("'botDefense' of type 'none' takes no other field",
        refusal(new JsonObject().put("type", "none").put("difficulty", 5_000)));
    assertEquals("unknown field 'botDefense.salt'", refusal(pow(5_000).put("salt", "x")));
  }

  @Test
  void theDifficultyMustBeAnIntegerInRange() {
    assertEquals("'botDefense.difficulty' must be an integer", refusal(new JsonObject().put("type", "proof-of-work")));
    for (Object difficulty : new Object[] {"5000", 5_000.0, 5_000.5, true, new JsonObject()}) {
      assertEquals("'botDefense.difficulty' must be an integer", refusal(pow(difficulty)), String.valueOf(difficulty));
    }
    for (Object difficulty : new Object[] {0, 999, 10_000_001, -1, (long) Integer.MAX_VALUE + 1_000L, Long.MIN_VALUE}) {
      assertEquals(RANGE, refusal(pow(difficulty)), String.valueOf(difficulty));
    }
  }
}
