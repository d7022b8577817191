package io.seckill.load;

import io.seckill.testkit.Poll;

import java.time.Duration;
import java.util.Map;

/** Creates a run's sale through the public admin API and waits until the gateway sells it. */
public final class SaleSetup {

  private SaleSetup() {
  }

  public static void create(GatewayClient gateway, Tokens tokens, Sale sale) {
    String admin = tokens.admin("load-admin");
    GatewayClient.Answer created = gateway.post("/admin/sales", admin, sale.toJson(), Map.of());
    if (created.status() != 201) {
      throw new IllegalStateException("POST /admin/sales for " + sale.id() + " answered " + created.status()
          + " " + created.body() + " (is the gateway at " + gateway.baseUrl() + " up?)");
    }
    // the gateway may learn new sales from a metadata cache: wait until it reports this one
    GatewayClient.Answer stats = Poll.until(Duration.ofSeconds(15),
        () -> gateway.get("/admin/sales/" + sale.id(), admin), a -> a.status() == 200);
    if (stats == null || stats.status() != 200) {
      throw new IllegalStateException("sale " + sale.id() + " was created but GET /admin/sales/{id} answers "
          + (stats == null ? "nothing" : stats.status() + " " + stats.body()));
    }
    System.out.println("[seckill] sale " + sale.id() + ": stock " + sale.stock() + ", per-user limit "
        + sale.perUserLimit() + ", payment window " + sale.paymentWindow());
  }
}
