package io.seckill.gateway;

import io.seckill.gateway.support.Api;
import io.seckill.gateway.support.Api.Answer;
import io.seckill.gateway.support.Stack;
import io.seckill.testkit.Poll;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's routes for a sale Redis lost and for dead letters, through the public door
 * with an admin token, against the real stack. Redis losing one sale is made real by deleting
 * that sale's keys (other tests share the server).
 */
class AdminRecoveryIT {

  private static Stack stack;
  private static Api api;
  private static String admin;

  @BeforeAll
  static void start() {
    stack = Stack.start(Map.of("SECKILL_RATE_PER_IP", "0", "SECKILL_RATE_PER_USER", "0"));
    api = stack.api();
    admin = stack.tokens.admin("recovery-admin");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @DisplayName("After Redis loses a sale, restore puts back what MySQL holds: no unit is sold twice, limits hold, re-creating never resets it")
  void restoreAfterRedisLostTheSale() throws Exception {
    String sale = Api.uniqueId("restore");
    JsonObject definition = Api.openSale(sale, 10, 2, Duration.ofMinutes(10));
    api.createSale(admin, definition);
    List<String> sold = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Answer bought = api.purchase(sale, stack.tokens.user("before-" + i), 1, null);
      assertEquals(202, bought.status(), bought.text());
      sold.add(bought.json().getString("orderId"));
    }
    Answer aliceFirst = api.purchase(sale, stack.tokens.user("alice"), 2, null);
    assertEquals(202, aliceFirst.status(), aliceFirst.text());
    Poll.await(Duration.ofSeconds(60), "every order persisted in MySQL",
        () -> stats(sale).getInteger("awaitingPayment", 0) == 6);

    Answer live = api.post("/admin/sales/" + sale + "/restore", admin, "");
    assertEquals(409, live.status(), live.text());
    assertEquals("SALE_LIVE", live.code(), "restore is refused while Redis holds the sale");
    stack.forgetSaleInRedis(sale);
    assertEquals(null, stats(sale).getValue("available"), "Redis no longer holds the sale");

    Answer restored = api.restore(sale, admin);
    assertEquals(201, restored.status(), restored.text());
    assertEquals(4, restored.json().getInteger("available"), restored.text());
    Answer again = api.post("/admin/sales/" + sale + "/restore", admin, "");
    assertEquals(409, again.status(), again.text());
    assertEquals("SALE_LIVE", again.code());
    Answer recreate = api.post("/admin/sales", admin, definition.encode());
    assertEquals(409, recreate.status(), recreate.text());
    assertEquals("SALE_EXISTS", recreate.code());
    assertEquals(4, stats(sale).getInteger("available"), "re-creating the sale did not reset it to its stock");

    Answer aliceAgain = api.purchase(sale, stack.tokens.user("alice"), 1, null);
    assertEquals(409, aliceAgain.status(), aliceAgain.text());
    assertEquals("LIMIT_EXCEEDED", aliceAgain.code(), "alice holds her limit of 2 since before the loss");
    int after = 0;
    for (int i = 0; i < 8; i++) {
      if (api.purchase(sale, stack.tokens.user("after-" + i), 1, null).status() == 202) {
        after++;
      }
    }
    assertEquals(4, after, "exactly the units MySQL had left are sold after the restore");
    Poll.await(Duration.ofSeconds(60), "every order persisted, Redis and MySQL agree", () -> {
      JsonObject stats = stats(sale);
      return stats.getInteger("awaitingPayment", 0) == 10 && Boolean.TRUE.equals(
          stats.getJsonObject("reconciliation", new JsonObject()).getBoolean("consistent"));
    });
    JsonObject stats = stats(sale);
    assertEquals(0, stats.getInteger("available"), stats.encode());
    assertEquals(0, stats.getInteger("mysqlAvailable"), stats.encode());
  }

  @Test
  @DisplayName("Restore and dead letters are admin routes: a user token is 403, bad ids 400, an unknown sale 404")
  void operatorRoutesNeedTheAdminRoleAndCheckTheirInput() {
    String user = stack.tokens.user("not-an-admin");
    assertEquals(403, api.post("/admin/sales/x/restore", user, "").status());
    assertEquals(403, api.get("/admin/dead-letters", user).status());
    assertEquals(403, api.post("/admin/dead-letters/1/replay", user, "").status());
    assertEquals(401, api.get("/admin/dead-letters", null).status());
    assertEquals(400, api.post("/admin/sales/bad%20id/restore", admin, "").status());
    assertEquals(404, api.post("/admin/sales/" + Api.uniqueId("none") + "/restore", admin, "").status());
    assertEquals(400, api.get("/admin/dead-letters?limit=ten", admin).status());
    assertEquals(400, api.post("/admin/dead-letters/abc/replay", admin, "").status());
    Answer list = api.get("/admin/dead-letters?limit=5", admin);
    assertEquals(200, list.status(), list.text());
    assertTrue(list.json().containsKey("deadLetters"), list.text());
  }

  private static JsonObject stats(String sale) {
    Answer answer = api.get("/admin/sales/" + sale, admin);
    assertEquals(200, answer.status(), answer.text());
    return answer.json();
  }

}
