package io.seckill.gateway.purchase;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PurchaseRequestTest {

  @Test
  void readsAWholePositiveQuantity() {
    assertEquals(1, PurchaseRequest.quantity(Buffer.buffer("{\"quantity\":1}")));
    assertEquals(3, PurchaseRequest.quantity(Buffer.buffer(" { \"quantity\" : 3 } ")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "[]", "1", "null", "{}", "{\"quantity\":null}", "{\"quantity\":\"1\"}",
      "{\"quantity\":1.5}", "{\"quantity\":1.0}", "{\"quantity\":true}", "{\"quantity\":0}", "{\"quantity\":-1}",
      "{\"quantity\":99999999999}", "{\"quantity\":123456789012345678901234567890}", "{\"quantity\":1e30}",
      "{\"quantity\":1,\"price\":0}", "{\"quantity\":[1]}"})
  void refusesAnythingElse(String body) {
    assertThrows(IllegalArgumentException.class, () -> PurchaseRequest.quantity(Buffer.buffer(body)));
  }
}
