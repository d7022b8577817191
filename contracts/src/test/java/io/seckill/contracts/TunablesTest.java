package io.seckill.contracts;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TunablesTest {

  private static final String NAME = "SECKILL_SOME_SETTING";

  private final List<String> warnings = new ArrayList<>();

  private int integer(String text, int fallback, int min, int max) {
    return Tunables.integer(env(text), NAME, fallback, min, max, warnings::add);
  }

  private long number(String text, long fallback, long min, long max) {
    return Tunables.number(env(text), NAME, fallback, min, max, warnings::add);
  }

  private static Map<String, String> env(String text) {
    Map<String, String> env = new HashMap<>();
    env.put("SECKILL_OTHER", "999");
    if (text != null) {
      env.put(NAME, text);
    }
    return env;
  }

  @Test
  void unsetOrBlankTakesTheFallbackQuietly() {
    assertEquals(7, integer(null, 7, 1, 10));
    assertEquals(7, integer("", 7, 1, 10));
    assertEquals(7, integer("  \t", 7, 1, 10));
    assertEquals(7L, number(null, 7L, 1L, 10L));
    assertEquals(7L, number(" ", 7L, 1L, 10L));
    assertEquals(List.of(), warnings);
  }

  @Test
  void theFallbackIsTakenAsGivenEvenOutsideTheRange() {
    // the fallback is the service's own constant: it is neither checked nor clamped
    assertEquals(50, integer(null, 50, 1, 10));
    assertEquals(List.of(), warnings);
  }

  @Test
  void aValueInRangeIsReadTrimmedAndQuietly() {
    assertEquals(5, integer("5", 7, 1, 10));
    assertEquals(5, integer(" 5\n", 7, 1, 10));
    assertEquals(-3, integer("-3", 0, -10, 10));
    assertEquals(5_000_000_000L, number("5000000000", 1L, 1L, Long.MAX_VALUE));
    assertEquals(List.of(), warnings);
  }

  @Test
  void theBoundsThemselvesAreInRange() {
    assertEquals(1, integer("1", 7, 1, 10));
    assertEquals(10, integer("10", 7, 1, 10));
    assertEquals(Long.MIN_VALUE, number(String.valueOf(Long.MIN_VALUE), 0L, Long.MIN_VALUE, Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, number(String.valueOf(Long.MAX_VALUE), 0L, Long.MIN_VALUE, Long.MAX_VALUE));
    assertEquals(List.of(), warnings);
  }

  @Test
  void aValueBelowTheRangeIsClampedToTheMinimumWithOneWarning() {
    assertEquals(1, integer("0", 7, 1, 10));
    assertEquals(List.of(NAME + "=0 is outside [1, 10]; using 1"), warnings);
    warnings.clear();
    assertEquals(100L, number("-5", 200L, 100L, 1_000L));
    assertEquals(List.of(NAME + "=-5 is outside [100, 1000]; using 100"), warnings);
  }

  @Test
  void aValueAboveTheRangeIsClampedToTheMaximumWithOneWarning() {
    assertEquals(10, integer("11", 7, 1, 10));
    assertEquals(List.of(NAME + "=11 is outside [1, 10]; using 10"), warnings);
    warnings.clear();
    assertEquals(1_000L, number("5000000000", 200L, 100L, 1_000L));
    assertEquals(List.of(NAME + "=5000000000 is outside [100, 1000]; using 1000"), warnings);
  }

  @Test
  void aMalformedValueFailsStartUpNamingTheSettingAndTheText() {
    for (String text : new String[] {"ten", "1.5", "1e3", "1_000", "10ms", "0x10", "--1"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> integer(text, 7, 1, 10), text);
      assertEquals(NAME + " must be an integer, got '" + text + "'", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> number(text, 7L, 1L, 10L), text);
    }
    assertEquals(List.of(), warnings, "a malformed value is an error, never a warning");
  }

  @Test
  void anIntSettingBeyondIntIsMalformedNotClamped() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> integer("2147483648", 7, 1, 10));
    assertTrue(e.getMessage().startsWith(NAME + " must be an integer"), e.getMessage());
    assertEquals(Integer.MAX_VALUE, integer(String.valueOf(Integer.MAX_VALUE), 7, 1, Integer.MAX_VALUE));
    // the same text is a fine long, clamped into the long setting's range
    assertEquals(10L, number("2147483648", 7L, 1L, 10L));
  }

  @Test
  void aLongSettingBeyondLongIsMalformed() {
    assertThrows(IllegalArgumentException.class, () -> number("9223372036854775808", 7L, 1L, 10L));
  }

  @Test
  void onlyTheNamedSettingIsRead() {
    assertEquals(7, Tunables.integer(Map.of("SECKILL_OTHER", "3"), NAME, 7, 1, 10, warnings::add));
    assertEquals(3, Tunables.integer(Map.of("SECKILL_OTHER", "3"), "SECKILL_OTHER", 7, 1, 10, warnings::add));
  }
}
