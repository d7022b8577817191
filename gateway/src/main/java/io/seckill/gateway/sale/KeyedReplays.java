package io.seckill.gateway.sale;

import io.seckill.gateway.upstream.InternalService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * For each sale this gateway flagged sold out, the answers it owes to purchases retried with an
 * {@code Idempotency-Key}, whichever gateway replica admitted them first.
 *
 * <p>Each replica keeps its own replay cache, and its sold-out flag answers before stock-service
 * is asked. A retry that reached another replica after sell-out was told SOLD_OUT for a unit the
 * buyer holds. So when a replica raises a sale's flag it fetches the sale's keyed reservations from
 * stock-service (at most one per unit ever reserved) and answers such retries from that list.
 * Until the list has arrived the answer is unknown, and the purchase goes to stock-service, which
 * replays by key itself.
 */
public final class KeyedReplays {

  private final InternalService stockService;
  private final ConcurrentMap<String, Map<String, JsonObject>> bySale = new ConcurrentHashMap<>();
  private final Set<String> loading = ConcurrentHashMap.newKeySet();

  public KeyedReplays(InternalService stockService) {
    this.stockService = stockService;
  }

  /** Forgets the sale's list and fetches it again; called when the sale's flag goes up. */
  public void refresh(String saleId) {
    bySale.remove(saleId);
    if (!loading.add(saleId)) {
      return;
    }
    stockService.get("/internal/sales/" + saleId + "/keyed-reservations").onComplete(ar -> {
      loading.remove(saleId);
      if (ar.succeeded() && ar.result().status() == 200) {
        bySale.put(saleId, answers(ar.result().json().getJsonArray("reservations", new JsonArray())));
      }
    });
  }

  /**
   * Whether this gateway knows the sale's keyed reservations. When it does, {@link #answer} is
   * the whole truth; when it does not, only stock-service can tell.
   */
  public boolean knows(String saleId) {
    return bySale.containsKey(saleId);
  }

  /** The 202 body first given for this user's key in this sale, or null. */
  public JsonObject answer(String saleId, String userId, String key) {
    Map<String, JsonObject> answers = bySale.get(saleId);
    return answers == null ? null : answers.get(userId + '\n' + key);
  }

  /** The public 202 body for one of stock-service's reservations: what a purchase is first told and replayed. */
  public static JsonObject reservedAnswer(JsonObject reservation) {
    return new JsonObject()
        .put("orderId", reservation.getString("orderId"))
        .put("status", "RESERVED")
        .put("expiresAt", reservation.getValue("expiresAt"));
  }

  private static Map<String, JsonObject> answers(JsonArray reservations) {
    Map<String, JsonObject> answers = new HashMap<>();
    for (int i = 0; i < reservations.size(); i++) {
      JsonObject r = reservations.getJsonObject(i);
      answers.put(r.getString("userId") + '\n' + r.getString("idempotencyKey"), reservedAnswer(r));
    }
    return Map.copyOf(answers);
  }
}
