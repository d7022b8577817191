package io.seckill.gateway.sale;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seckill.contracts.http.ServiceCredential;
import io.seckill.gateway.metrics.GatewayMetrics;
import io.seckill.gateway.upstream.InternalService;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoldOutFlagsTest {

  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  // never called here: forgetting is local
  private final SoldOutFlags flags = new SoldOutFlags(new InternalService(vertx, "stock-service",
      URI.create("http://127.0.0.1:1"), new ServiceCredential(ServiceCredential.GATEWAY, "x".repeat(32)), 1, 1_000),
      new GatewayMetrics(registry));

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void forgettingAnEndedSaleDropsItsFlagAndItsGauge() {
    flags.raise("ended");
    flags.raise("open");
    flags.forget("ended"::equals);

    assertFalse(flags.isSoldOut("ended"));
    assertTrue(flags.isSoldOut("open"));
    assertNull(registry.find("seckill_gateway_sold_out_flag").tag("sale", "ended").gauge(), "no series left for it");
    assertNotNull(registry.find("seckill_gateway_sold_out_flag").tag("sale", "open").gauge());
    assertEquals(1.0, registry.find("seckill_gateway_sold_out_flags").gauge().value());
  }

  @Test
  void aSaleFlaggedAgainGetsItsGaugeAgain() {
    flags.raise("sale");
    flags.forget(id -> true);
    assertTrue(flags.raise("sale"), "the flag went up again");
    assertEquals(1.0, registry.find("seckill_gateway_sold_out_flag").tag("sale", "sale").gauge().value());
  }
}
