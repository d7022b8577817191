package io.seckill.stock.support;

import io.seckill.testkit.LocalStack;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Calls stock-service's internal HTTP API over real HTTP, as the gateway does. */
public final class StockClient {

  /** One answer: status and parsed body. */
  public record Answer(int status, JsonObject body) {
  }

  private final String baseUrl;
  private final String authorization;
  private final HttpClient http;

  /** A client that presents the gateway's credential, as the gateway does. */
  public StockClient(String baseUrl) {
    this(baseUrl, LocalStack.fromEnv().gatewayAuthorization());
  }

  /** A client that sends {@code authorization} (null: no header) on every request. */
  public StockClient(String baseUrl, String authorization) {
    this.baseUrl = baseUrl;
    this.authorization = authorization;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A unique sale id for one test, so tests never see each other's state. */
  public static String uniqueSaleId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
  }

  /** A sale open from a minute ago for an hour. */
  public static JsonObject openSale(String id, int stock, int perUserLimit, Duration paymentWindow) {
    Instant now = Instant.now();
    return new JsonObject().put("id", id).put("item", "test item").put("stock", stock)
        .put("perUserLimit", perUserLimit)
        .put("startsAt", now.minusSeconds(60).toString())
        .put("endsAt", now.plusSeconds(3600).toString())
        .put("paymentWindow", paymentWindow.toString());
  }

  public Answer warm(JsonObject sale) {
    return send("PUT", "/internal/sales/" + sale.getString("id"), sale.encode());
  }

  public Answer reserve(String saleId, String userId, int quantity, String idempotencyKey) {
    JsonObject body = new JsonObject().put("userId", userId).put("quantity", quantity);
    if (idempotencyKey != null) {
      body.put("idempotencyKey", idempotencyKey);
    }
    return send("POST", "/internal/sales/" + saleId + "/reservations", body.encode());
  }

  /**
   * {@code POST /internal/sales/{id}/restore} with a snapshot shaped as order-worker's; an
   * operator's call that may carry megabytes, so it may take longer than a reservation.
   */
  public Answer restore(String saleId, JsonObject snapshot) {
    return send("POST", "/internal/sales/" + saleId + "/restore", snapshot.encode(), Duration.ofSeconds(120));
  }

  public Answer get(String path) {
    return send("GET", path, null);
  }

  /** The Prometheus scrape from the service's management listener at {@code managementUrl}. */
  public String metrics(String managementUrl) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(managementUrl + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("GET /metrics failed: " + e, e);
    }
  }

  /** Sends a raw request; throws {@link IOException} wrapped as unchecked when the service is down. */
  public Answer send(String method, String path, String body) {
    return send(method, path, body, Duration.ofSeconds(20));
  }

  public Answer send(String method, String path, String body, Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      return new Answer(response.statusCode(), text == null || text.isBlank() ? null : new JsonObject(text));
    } catch (IOException e) {
      throw new ServiceDown(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceDown(e);
    }
  }

  /** The service did not answer (refused, reset): expected while it is SIGKILLed. */
  public static final class ServiceDown extends RuntimeException {
    ServiceDown(Exception cause) {
      super(cause);
    }
  }
}
