package io.seckill.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String refusal(Runnable read) {
    return assertThrows(IllegalArgumentException.class, read::run).getMessage();
  }

  @Test
  void parsesAnObjectFromUtf8Bytes() {
    JsonObject json = Json.parseObject(utf8("{\"item\":\"téléphone ☎\",\"n\":1}"));
    assertEquals("téléphone ☎", json.getString("item"));
    assertEquals(1, json.getInteger("n"));
  }

  @Test
  void bytesAreTheEncodedObjectInUtf8AndReadBackEqual() {
    JsonObject json = new JsonObject().put("item", "é").put("n", 2L);
    byte[] bytes = Json.bytes(json);
    assertArrayEquals(utf8("{\"item\":\"é\",\"n\":2}"), bytes);
    assertEquals(json, Json.parseObject(bytes));
  }

  @Test
  void aMissingOrNonObjectBodyIsRefused() {
    assertEquals("empty body", refusal(() -> Json.parseObject(null)));
    for (String body : new String[] {"", "not json", "{\"a\":", "[1,2]", "\"text\"", "42", "{\"a\":1} trailing"}) {
      String message = refusal(() -> Json.parseObject(utf8(body)));
      assertTrue(message.startsWith("body is not a JSON object"), body + ": " + message);
    }
  }

  @Test
  void requireStringTakesOnlyANonEmptyString() {
    JsonObject json = new JsonObject().put("s", "x").put("empty", "").put("n", 5).put("b", true)
        .put("o", new JsonObject()).put("a", new JsonArray()).putNull("null");
    assertEquals("x", Json.requireString(json, "s"));
    for (String field : new String[] {"empty", "n", "b", "o", "a", "null", "absent"}) {
      assertEquals("'" + field + "' must be a non-empty string", refusal(() -> Json.requireString(json, field)));
    }
  }

  @Test
  void requireLongTakesIntegersAndNeverCoerces() {
    JsonObject json = new JsonObject().put("i", 5).put("l", Long.MAX_VALUE).put("neg", -3)
        .put("d", 5.0).put("s", "5").put("b", true).putNull("null");
    assertEquals(5L, Json.requireLong(json, "i"));
    assertEquals(Long.MAX_VALUE, Json.requireLong(json, "l"));
    assertEquals(-3L, Json.requireLong(json, "neg"));
    for (String field : new String[] {"d", "s", "b", "null", "absent"}) {
      assertEquals("'" + field + "' must be an integer", refusal(() -> Json.requireLong(json, field)));
    }
  }

  @Test
  void requireLongReadsParsedNumbersByTheirJsonShape() {
    JsonObject json = Json.parseObject(utf8("{\"small\":7,\"big\":5000000000,\"dot\":7.0,\"huge\":9223372036854775808}"));
    assertEquals(7L, Json.requireLong(json, "small"));
    assertEquals(5_000_000_000L, Json.requireLong(json, "big"));
    assertEquals("'dot' must be an integer", refusal(() -> Json.requireLong(json, "dot")));
    assertEquals("'huge' must be an integer", refusal(() -> Json.requireLong(json, "huge")));
  }

  @Test
  void requireIntTakesTheWholeIntRangeAndRefusesBeyondIt() {
    JsonObject json = new JsonObject().put("max", Integer.MAX_VALUE).put("min", Integer.MIN_VALUE)
        .put("asLong", 12L).put("above", 1L + Integer.MAX_VALUE).put("below", Integer.MIN_VALUE - 1L).put("s", "1");
    assertEquals(Integer.MAX_VALUE, Json.requireInt(json, "max"));
    assertEquals(Integer.MIN_VALUE, Json.requireInt(json, "min"));
    assertEquals(12, Json.requireInt(json, "asLong"));
    assertEquals("'above' is out of range", refusal(() -> Json.requireInt(json, "above")));
    assertEquals("'below' is out of range", refusal(() -> Json.requireInt(json, "below")));
    assertEquals("'s' must be an integer", refusal(() -> Json.requireInt(json, "s")));
  }
}
