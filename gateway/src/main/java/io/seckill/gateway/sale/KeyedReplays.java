package io.seckill.gateway.sale;

import io.seckill.gateway.upstream.InternalService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/**
 * This gateway's copy of the one source of truth for idempotent replay, stock-service's record of
 * keyed reservations (the {@code idem} hash the reservation script writes atomically with the
 * unit): for each sale, the 202 answer owed to each (user, Idempotency-Key) that reserved.
 *
 * <p>The copy is filled from two sides: every keyed reservation this gateway admits, as it is
 * answered, and, when the sale's sold-out flag goes up, the sale's whole list fetched from
 * stock-service page by page (at most one entry per unit ever reserved), which brings the
 * reservations other replicas admitted. A fetched list is merged into what is known; an entry is never wrong once
 * written, because a key names one reservation for ever. See {@code docs/idempotency.md}.
 */
public final class KeyedReplays {

  private final InternalService stockService;
  private final ConcurrentMap<String, ConcurrentMap<String, JsonObject>> bySale = new ConcurrentHashMap<>();
  /** Per sale, the latest fetch of its list (in flight or done). */
  private final ConcurrentMap<String, Future<Void>> fetches = new ConcurrentHashMap<>();

  public KeyedReplays(InternalService stockService) {
    this.stockService = stockService;
  }

  /** Records the answer this gateway just gave to a keyed reservation. */
  public void remember(String saleId, String userId, String key, JsonObject answer) {
    bySale.computeIfAbsent(saleId, id -> new ConcurrentHashMap<>()).put(entry(userId, key), answer);
  }

  /** The 202 body first given for this user's key in this sale, as far as this gateway knows now; or null. */
  public JsonObject answer(String saleId, String userId, String key) {
    ConcurrentMap<String, JsonObject> answers = bySale.get(saleId);
    return answers == null ? null : answers.get(entry(userId, key));
  }

  /**
   * Fetches the sale's list again, because its flag just went up: reservations other replicas
   * made since the last fetch are added. A fetch already in flight is reused.
   */
  public Future<Void> refresh(String saleId) {
    return fetches.compute(saleId, (id, current) -> current != null && !current.isComplete() ? current : fetch(id));
  }

  /**
   * Completes once the sale's list has been fetched since its flag last went up (starting a fetch
   * if none was made): from then on {@link #answer} knows every keyed reservation made before
   * sell-out. Fails when stock-service could not give the list.
   */
  public Future<Void> loaded(String saleId) {
    Future<Void> fetch = fetches.get(saleId);
    return fetch != null && !fetch.failed() ? fetch : refresh(saleId);
  }

  /** Forgets every sale that is {@code over}: after endsAt every purchase is answered SALE_ENDED before any replay. */
  public void forget(Predicate<String> over) {
    bySale.keySet().removeIf(over);
    fetches.keySet().removeIf(over);
  }

  /** The public 202 body for one of stock-service's reservations: what a purchase is first told and replayed. */
  public static JsonObject reservedAnswer(JsonObject reservation) {
    return new JsonObject()
        .put("orderId", reservation.getString("orderId"))
        .put("status", "RESERVED")
        .put("expiresAt", reservation.getValue("expiresAt"));
  }

  /** Fetches the sale's list page by page, merging each page as it comes. */
  private Future<Void> fetch(String saleId) {
    return fetchFrom(saleId, "0");
  }

  private Future<Void> fetchFrom(String saleId, String cursor) {
    return stockService.get("/internal/sales/" + saleId + "/keyed-reservations?cursor=" + cursor).compose(reply -> {
      if (reply.status() != 200) {
        return Future.failedFuture("stock-service answered " + reply.status() + " for the keyed reservations");
      }
      JsonArray reservations = reply.json().getJsonArray("reservations", new JsonArray());
      for (int i = 0; i < reservations.size(); i++) {
        JsonObject r = reservations.getJsonObject(i);
        remember(saleId, r.getString("userId"), r.getString("idempotencyKey"), reservedAnswer(r));
      }
      String next = reply.json().getString("next");
      return next == null ? Future.succeededFuture() : fetchFrom(saleId, next);
    });
  }

  private static String entry(String userId, String key) {
    return userId + '\n' + key;
  }
}
