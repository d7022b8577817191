package io.seckill.order.sale;

import io.seckill.contracts.http.ServiceCredential;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;

/**
 * Compares a sale's Redis counters (stock-service) with MySQL. While creation messages are in
 * flight Redis is ahead, so a drift is normal for a moment; once messages drain it must be zero.
 * A check only answers; the periodic sweep is the one that counts and logs a disagreement, so an
 * operator's console polling a sale every second adds no warnings.
 */
public final class Reconciliation {

  private final WebClient stockService;
  private final String stockUrl;
  private final ServiceCredential credential;

  public Reconciliation(WebClient stockService, String stockUrl, ServiceCredential credential) {
    this.stockService = stockService;
    this.stockUrl = stockUrl;
    this.credential = credential;
  }

  /**
   * The {@code reconciliation} object of the sale stats; when stock-service cannot answer, it
   * says so ({@code consistent} is null) rather than failing the stats.
   */
  public Future<JsonObject> check(SaleTotals totals) {
    return stockService.getAbs(stockUrl + "/internal/sales/" + totals.sale().id())
        .putHeader("Authorization", credential.authorization())
        .timeout(3_000)
        .send()
        .map(response -> compare(totals, response))
        .otherwise(e -> new JsonObject().putNull("consistent").put("error", "stock-service: " + e.getMessage()));
  }

  private JsonObject compare(SaleTotals totals, HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      return new JsonObject().putNull("consistent")
          .put("error", "stock-service answered " + response.statusCode() + " for this sale");
    }
    JsonObject redis = response.bodyAsJsonObject();
    long stock = totals.sale().stock();
    long redisAvailable = redis.getLong("available");
    long mysqlAvailable = totals.sale().available();
    long redisHeld = stock - redisAvailable;
    long mysqlHeld = totals.heldUnits();
    long drift = redisAvailable - mysqlAvailable;
    // MySQL must also be consistent with itself: available + held = stock
    boolean consistent = drift == 0 && mysqlAvailable + mysqlHeld == stock;
    return new JsonObject()
        .put("redisAvailable", redisAvailable)
        .put("mysqlAvailable", mysqlAvailable)
        .put("redisHeldUnits", redisHeld)
        .put("mysqlHeldUnits", mysqlHeld)
        .put("drift", drift)
        .put("consistent", consistent);
  }
}
