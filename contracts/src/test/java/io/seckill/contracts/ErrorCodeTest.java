package io.seckill.contracts;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorCodeTest {

  private static final String TYPE_BASE = "https://seckill.io/problems/";

  /** Clients and load tests script against these names and statuses: never rename one or change its status. */
  private static Map<String, Integer> published() {
    Map<String, Integer> codes = new LinkedHashMap<>();
    codes.put("BAD_REQUEST", 400);
    codes.put("UNAUTHORIZED", 401);
    codes.put("FORBIDDEN", 403);
    codes.put("NOT_FOUND", 404);
    codes.put("METHOD_NOT_ALLOWED", 405);
    codes.put("PAYLOAD_TOO_LARGE", 413);
    codes.put("UNSUPPORTED_MEDIA_TYPE", 415);
    codes.put("SALE_NOT_FOUND", 404);
    codes.put("ORDER_NOT_FOUND", 404);
    codes.put("SALE_EXISTS", 409);
    codes.put("SALE_LIVE", 409);
    codes.put("SOLD_OUT", 409);
    codes.put("LIMIT_EXCEEDED", 409);
    codes.put("SALE_NOT_STARTED", 409);
    codes.put("SALE_ENDED", 409);
    codes.put("ORDER_EXPIRED", 409);
    codes.put("ORDER_NOT_READY", 409);
    codes.put("RATE_LIMITED", 429);
    codes.put("TICKET_REQUIRED", 403);
    codes.put("TICKET_INVALID", 403);
    codes.put("SOLUTION_INVALID", 403);
    codes.put("SOLUTION_USED", 403);
    codes.put("NO_BOT_DEFENSE", 409);
    codes.put("CREATIONS_IN_FLIGHT", 409);
    codes.put("INTERNAL_ERROR", 500);
    codes.put("UNAVAILABLE", 503);
    return codes;
  }

  @Test
  void everyPublishedCodeStillExistsWithItsStatus() {
    published().forEach((name, status) -> assertEquals(status, ErrorCode.valueOf(name).status(), name));
  }

  @Test
  void everyCodeIsPublished() {
    Set<String> names = new HashSet<>();
    for (ErrorCode code : ErrorCode.values()) {
      names.add(code.name());
    }
    assertEquals(published().keySet(), names, "a new code is added to the published list here, deliberately");
  }

  @Test
  void everyStatusIsAnErrorStatus() {
    for (ErrorCode code : ErrorCode.values()) {
      assertTrue(code.status() >= 400 && code.status() <= 599, code + " has " + code.status());
      assertEquals(code.status() >= 500, code == ErrorCode.INTERNAL_ERROR || code == ErrorCode.UNAVAILABLE,
          code + ": only the server's own failures are 5xx");
    }
  }

  @Test
  void everyTypeIsTheKebabCaseNameUnderTheProblemsBase() {
    assertEquals("https://seckill.io/problems/sold-out", ErrorCode.SOLD_OUT.type());
    assertEquals("https://seckill.io/problems/no-bot-defense", ErrorCode.NO_BOT_DEFENSE.type());
    for (ErrorCode code : ErrorCode.values()) {
      String type = code.type();
      assertTrue(type.startsWith(TYPE_BASE), type);
      String slug = type.substring(TYPE_BASE.length());
      assertTrue(slug.matches("[a-z]+(-[a-z]+)*"), type);
      assertEquals(code.name(), slug.toUpperCase().replace('-', '_'), "the type names its code");
    }
  }

  @Test
  void typesAndTitlesAreUnique() {
    Set<String> types = new HashSet<>();
    Set<String> titles = new HashSet<>();
    for (ErrorCode code : ErrorCode.values()) {
      assertTrue(types.add(code.type()), "type of " + code + " is taken");
      assertTrue(titles.add(code.title().toLowerCase()), "title of " + code + " is taken: " + code.title());
    }
  }

  @Test
  void everyTitleIsAShortCapitalisedPhrase() {
    for (ErrorCode code : ErrorCode.values()) {
      String title = code.title();
      assertFalse(title.isBlank(), code.name());
      assertTrue(Character.isUpperCase(title.charAt(0)), title);
      assertFalse(title.endsWith("."), title);
      assertTrue(title.length() <= 40, title);
      assertEquals(title.strip(), title);
    }
  }
}
