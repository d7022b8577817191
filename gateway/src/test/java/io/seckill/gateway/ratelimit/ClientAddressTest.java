package io.seckill.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientAddressTest {

  @Test
  void cidrMatchesItsBlockOnly() {
    Cidr ten = Cidr.parse("10.0.0.0/8");
    assertTrue(ten.contains("10.200.3.4"));
    assertFalse(ten.contains("11.0.0.1"));
    assertTrue(Cidr.parse("192.168.1.0/25").contains("192.168.1.127"));
    assertFalse(Cidr.parse("192.168.1.0/25").contains("192.168.1.128"));
    assertTrue(Cidr.parse("127.0.0.1").contains("127.0.0.1"));
    assertTrue(Cidr.parse("fd00::/8").contains("fd12::1"));
    assertFalse(Cidr.parse("fd00::/8").contains("10.0.0.1"));
  }

  @Test
  void neverResolvesHostNames() {
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("localhost"));
    assertFalse(Cidr.parse("10.0.0.0/8").contains("example.com"));
  }

  @Test
  void believesForwardedForOnlyBehindTrustedProxies() {
    ClientAddress behindProxy = new ClientAddress(List.of(Cidr.parse("10.0.0.0/8")));
    assertEquals("203.0.113.7", behindProxy.resolve("10.0.0.5", "203.0.113.7"));
    // The client wrote the left-most entry itself; the right-most untrusted hop is the real one.
    assertEquals("203.0.113.7", behindProxy.resolve("10.0.0.5", "1.2.3.4, 203.0.113.7, 10.0.0.9"));
    assertEquals("10.0.0.5", behindProxy.resolve("10.0.0.5", "not-an-ip"));
    assertEquals("10.0.0.5", behindProxy.resolve("10.0.0.5", null));
  }
}
