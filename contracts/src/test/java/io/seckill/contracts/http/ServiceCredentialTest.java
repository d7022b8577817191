package io.seckill.contracts.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceCredentialTest {

  private final ServiceCredential gateway = new ServiceCredential(ServiceCredential.GATEWAY, "g".repeat(40));

  @Test
  void matchesOnlyTheExactSecret() {
    assertTrue(gateway.matches("g".repeat(40)));
    assertFalse(gateway.matches("g".repeat(39)));
    assertFalse(gateway.matches("g".repeat(41)));
    assertFalse(gateway.matches("G".repeat(40)));
    assertFalse(gateway.matches(""));
    assertEquals("Bearer " + "g".repeat(40), gateway.authorization());
  }
}
