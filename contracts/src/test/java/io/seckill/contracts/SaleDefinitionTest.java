package io.seckill.contracts;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SaleDefinitionTest {

  private static JsonObject valid() {
    return new JsonObject().put("id", "s-1").put("item", "phone").put("stock", 100).put("perUserLimit", 2)
        .put("startsAt", "2026-12-24T10:00:00Z").put("endsAt", "2026-12-24T11:00:00Z").put("paymentWindow", "PT15M");
  }

  private static String refusal(JsonObject json) {
    return assertThrows(IllegalArgumentException.class, () -> SaleDefinition.fromJson(json)).getMessage();
  }

  @Test
  void parsesAndWritesTheSameJson() {
    SaleDefinition sale = SaleDefinition.fromJson(valid());
    assertEquals(new SaleDefinition("s-1", "phone", 100, 2, Instant.parse("2026-12-24T10:00:00Z"),
        Instant.parse("2026-12-24T11:00:00Z"), Duration.ofMinutes(15)), sale);
    assertEquals(valid().put("botDefense", new JsonObject().put("type", "none")), sale.toJson());
  }

  @Test
  void keepsInstantsAtTheMillisecondEveryStoreKeeps() {
    SaleDefinition sale = SaleDefinition.fromJson(valid().put("startsAt", "2026-12-24T10:00:00.123456789Z"));
    assertEquals(Instant.parse("2026-12-24T10:00:00.123Z"), sale.startsAt());
    // apart by less than a millisecond: after a store it would end when it starts
    assertEquals("'endsAt' must be after 'startsAt'", refusal(valid()
        .put("startsAt", "2026-12-24T10:00:00.1231Z").put("endsAt", "2026-12-24T10:00:00.1239Z")));
  }

  @Test
  void readsAndWritesTheBotDefence() {
    JsonObject pow = new JsonObject().put("type", "proof-of-work").put("difficulty", 50_000);
    SaleDefinition sale = SaleDefinition.fromJson(valid().put("botDefense", pow));
    assertEquals(BotDefense.proofOfWork(50_000), sale.botDefense());
    assertEquals(pow, sale.toJson().getJsonObject("botDefense"));
    assertEquals(sale, SaleDefinition.fromJson(sale.toJson()));
    assertEquals(BotDefense.NONE,
        SaleDefinition.fromJson(valid().put("botDefense", new JsonObject().put("type", "none"))).botDefense());
    assertEquals(BotDefense.NONE, SaleDefinition.fromJson(valid()).botDefense());
  }

  @Test
  void refusesMalformedBotDefences() {
    assertTrue(refusal(valid().put("botDefense", "pow")).contains("'botDefense' must be an object"));
    assertTrue(refusal(valid().put("botDefense", new JsonObject().put("type", "captcha"))).contains("'botDefense.type'"));
    assertTrue(refusal(valid().put("botDefense", new JsonObject().put("type", "proof-of-work")))
        .contains("'botDefense.difficulty' must be an integer"));
    assertTrue(refusal(valid().put("botDefense", new JsonObject().put("type", "proof-of-work").put("difficulty", "5")))
        .contains("'botDefense.difficulty' must be an integer"));
    assertTrue(refusal(valid().put("botDefense", new JsonObject().put("type", "proof-of-work").put("difficulty", 999)))
        .contains("between 1000 and 10000000"));
    assertTrue(refusal(valid().put("botDefense",
        new JsonObject().put("type", "proof-of-work").put("difficulty", 10_000_001L))).contains("between"));
    assertTrue(refusal(valid().put("botDefense",
        new JsonObject().put("type", "proof-of-work").put("difficulty", 5_000).put("algo", "SHA-1")))
        .contains("unknown field 'botDefense.algo'"));
    assertTrue(refusal(valid().put("botDefense", new JsonObject().put("type", "none").put("difficulty", 5_000)))
        .contains("takes no other field"));
  }

  @Test
  void botDefenceTextRoundTripsAndAnOldRowWithoutItIsNone() {
    assertEquals(BotDefense.NONE, BotDefense.fromText(null));
    assertEquals(BotDefense.NONE, BotDefense.fromText("none"));
    assertEquals("proof-of-work:20000", BotDefense.proofOfWork(20_000).toText());
    assertEquals(BotDefense.proofOfWork(20_000), BotDefense.fromText("proof-of-work:20000"));
    assertThrows(IllegalArgumentException.class, () -> BotDefense.fromText("proof-of-work:x"));
    assertThrows(IllegalArgumentException.class, () -> BotDefense.fromText("proof-of-work:1"));
    assertThrows(IllegalArgumentException.class, () -> BotDefense.fromText("captcha"));
  }

  @Test
  void isOpenFromStartsAtUntilJustBeforeEndsAt() {
    SaleDefinition sale = SaleDefinition.fromJson(valid());
    assertFalse(sale.isOpenAt(sale.startsAt().minusMillis(1)));
    assertTrue(sale.isOpenAt(sale.startsAt()));
    assertFalse(sale.isOpenAt(sale.endsAt()));
  }

  @Test
  void refusesUnknownFieldsWrongTypesAndValuesOutOfRange() {
    assertTrue(refusal(valid().put("extra", 1)).contains("unknown field 'extra'"));
    assertTrue(refusal(valid().put("stock", "100")).contains("'stock'"));
    assertTrue(refusal(valid().put("stock", 0)).contains("'stock'"));
    assertTrue(refusal(valid().put("perUserLimit", SaleDefinition.MAX_PER_USER_LIMIT + 1)).contains("'perUserLimit'"));
    assertTrue(refusal(valid().put("id", "../x")).contains("'id'"));
    assertTrue(refusal(valid().put("item", " ")).contains("'item'"));
    assertTrue(refusal(valid().put("endsAt", "2026-12-24T10:00:00Z")).contains("'endsAt' must be after"));
    assertTrue(refusal(valid().put("paymentWindow", "P2D")).contains("'paymentWindow'"));
    assertTrue(refusal(valid().put("paymentWindow", "PT0.5S")).contains("'paymentWindow'"));
    assertThrows(IllegalArgumentException.class, () -> SaleDefinition.fromJson(null));
  }

  @Test
  void refusesInstantsMysqlCannotHoldNamingTheField() {
    assertTrue(refusal(valid().put("endsAt", "+10000-01-01T00:00:00Z")).contains("'endsAt' must be between"));
    assertTrue(refusal(valid().put("startsAt", "0001-01-01T00:00:00Z")).contains("'startsAt' must be between"));
    assertTrue(refusal(valid().put("startsAt", "1969-12-31T23:59:59Z")).contains("'startsAt'"));
    assertTrue(refusal(valid().put("startsAt", "tomorrow")).contains("'startsAt' must be an ISO-8601 instant"));
    SaleDefinition edge = SaleDefinition.fromJson(valid().put("endsAt", "9999-12-31T23:59:59.999Z"));
    assertEquals(SaleDefinition.MAX_INSTANT, edge.endsAt());
  }
}
