package io.seckill.gateway.support;

import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A small blocking client of the public API for tests. */
public final class Api {

  private final String baseUrl;
  private final String managementUrl;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  /** The public API of a gateway child process, and its management listener for {@link #metrics()}. */
  public Api(ServiceProcess gateway) {
    this(gateway.baseUrl(), gateway.managementUrl());
  }

  public Api(String baseUrl, String managementUrl) {
    this.baseUrl = baseUrl;
    this.managementUrl = managementUrl;
  }

  /** {@code GET /metrics} from the gateway's management port (it is not on the public port). */
  public Answer metrics() {
    return new Api(managementUrl, managementUrl).get("/metrics", null);
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** One answer: status, headers of interest, and the body parsed when it is a JSON object. */
  public record Answer(int status, String contentType, String retryAfter, String text) {
    public JsonObject json() {
      return text.startsWith("{") ? new JsonObject(text) : new JsonObject();
    }

    public String code() {
      return json().getString("code");
    }
  }

  public Answer send(String method, String path, String token, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null && !headers.containsKey("Content-Type")) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.headers().firstValue("Retry-After").orElse(null),
          response.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Answer get(String path, String token) {
    return send("GET", path, token, null, Map.of());
  }

  public Answer post(String path, String token, String body) {
    return send("POST", path, token, body, Map.of());
  }

  public Answer purchase(String saleId, String token, int quantity, String idempotencyKey) {
    return send("POST", "/api/sales/" + saleId + "/purchase", token, "{\"quantity\":" + quantity + "}",
        idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
  }

  public static JsonObject sale(String id, int stock, int perUserLimit, Instant startsAt, Instant endsAt,
                                Duration paymentWindow) {
    return new JsonObject().put("id", id).put("item", "item of " + id).put("stock", stock)
        .put("perUserLimit", perUserLimit).put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString())
        .put("paymentWindow", paymentWindow.toString());
  }

  /**
   * {@code POST /admin/sales/{id}/restore}, asked again while order-worker refuses the snapshot
   * with 409 {@code CREATIONS_IN_FLIGHT}: MySQL shows orders a moment before the creation group's
   * consumed offset passes them, as an operator would see. The last answer, whatever it is.
   */
  public Answer restore(String saleId, String adminToken) {
    return Poll.until(Duration.ofSeconds(30), () -> post("/admin/sales/" + saleId + "/restore", adminToken, ""),
        a -> !"CREATIONS_IN_FLIGHT".equals(a.code()));
  }

  /** A sale open from a second ago for an hour (see {@link #sale}). */
  public static JsonObject openSale(String id, int stock, int perUserLimit, Duration paymentWindow) {
    Instant now = Instant.now();
    return sale(id, stock, perUserLimit, now.minusSeconds(1), now.plusSeconds(3600), paymentWindow);
  }

  /** Creates a sale through the admin API and checks it was created. */
  public void createSale(String adminToken, JsonObject sale) {
    Answer answer = post("/admin/sales", adminToken, sale.encode());
    if (answer.status() != 201) {
      throw new AssertionError("creating " + sale.getString("id") + ": " + answer);
    }
  }

  /** A sale id no other test run uses. */
  public static String uniqueId(String prefix) {
    return prefix + "-" + Long.toString(System.nanoTime(), 36) + "-" + (int) (Math.random() * 1000);
  }
}
