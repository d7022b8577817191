package io.seckill.stock.release;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

  private final Backoff backoff = new Backoff(100, 5_000);

  @Test
  void pausesGrowFromTheBaseAndStayInTheUpperHalfOfTheirCeiling() {
    for (int i = 0; i < 1_000; i++) {
      long first = backoff.pauseMillis(0);
      assertTrue(first >= 50 && first <= 100, "first pause " + first);
      long fourth = backoff.pauseMillis(3);
      assertTrue(fourth >= 400 && fourth <= 800, "fourth pause " + fourth);
    }
  }

  @Test
  void pausesNeverExceedTheCapHoweverManyAttempts() {
    for (int attempt : new int[] {6, 7, 30, 63, 64, 1_000, Integer.MAX_VALUE}) {
      long pause = backoff.pauseMillis(attempt);
      assertTrue(pause >= 2_500 && pause <= 5_000, "attempt " + attempt + ": " + pause);
    }
  }

  @Test
  void pausesAreJittered() {
    long first = backoff.pauseMillis(10);
    boolean differs = false;
    for (int i = 0; i < 100 && !differs; i++) {
      differs = backoff.pauseMillis(10) != first;
    }
    assertTrue(differs, "100 draws were all " + first);
  }

  @Test
  void refusesAnEmptyOrInvertedRange() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 10));
  }
}
