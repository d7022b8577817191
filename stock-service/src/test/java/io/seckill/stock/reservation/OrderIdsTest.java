package io.seckill.stock.reservation;

import io.seckill.contracts.Ids;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderIdsTest {

  @Test
  void matchesTheContractAndNamesItsSale() {
    String id = OrderIds.next("sale-1");
    assertTrue(Ids.isOrderId(id), id);
    assertEquals("sale-1", Ids.saleOf(id));
  }

  @Test
  void encodesTheTimeFirstSoIdsSortByCreation() {
    String earlier = OrderIds.ulid(1_000_000L);
    String later = OrderIds.ulid(1_000_001L);
    assertTrue(earlier.compareTo(later) < 0);
    assertEquals("000000YGJ0", OrderIds.ulid(1_000_000L).substring(0, 10), "1,000,000 = 30·32³ + 16·32² + 18·32");
    assertEquals("7ZZZZZZZZZ", OrderIds.ulid((1L << 48) - 1).substring(0, 10), "48 bits of time");
  }

  @Test
  void neverRepeatsWithinOneMillisecond() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      assertTrue(seen.add(OrderIds.ulid(42L)));
    }
  }
}
