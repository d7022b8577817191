package io.seckill.order.support;

import io.seckill.contracts.OrderMessage;
import io.seckill.testkit.LocalStack;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Unique sales and orders for one test, and HTTP calls to a worker. */
public final class Sales {

  private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** The tests call the internal routes as the gateway does, with its credential. */
  private static final String AUTHORIZATION = LocalStack.fromEnv().gatewayAuthorization();

  private Sales() {
  }

  public static String uniqueSaleId(String prefix) {
    return prefix + "-" + Long.toString(System.nanoTime(), 36) + RANDOM.nextInt(1000);
  }

  public static String orderId(String saleId) {
    StringBuilder id = new StringBuilder(saleId).append('.');
    for (int i = 0; i < 26; i++) {
      id.append(CROCKFORD.charAt(RANDOM.nextInt(32)));
    }
    return id.toString();
  }

  public static JsonObject definition(String saleId, int stock, Duration paymentWindow) {
    Instant now = Instant.now();
    return new JsonObject().put("id", saleId).put("item", "test item").put("stock", stock)
        .put("perUserLimit", 5)
        .put("startsAt", now.minusSeconds(60).toString())
        .put("endsAt", now.plus(Duration.ofHours(1)).toString())
        .put("paymentWindow", paymentWindow.toString());
  }

  public static HttpResponse<String> create(String workerUrl, String saleId, int stock, Duration window) throws Exception {
    HttpResponse<String> response = post(workerUrl + "/internal/sales", definition(saleId, stock, window).encode());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("sale not created: " + response.statusCode() + " " + response.body());
    }
    return response;
  }

  /** {@code count} orders of one unit each (every third of two units), payable within {@code window}. */
  public static List<OrderMessage> orders(String saleId, int count, Duration window) {
    List<OrderMessage> orders = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < count; i++) {
      orders.add(new OrderMessage(orderId(saleId), saleId, "user-" + i, i % 3 == 0 ? 2 : 1, now, now + window.toMillis()));
    }
    return orders;
  }

  public static int units(List<OrderMessage> orders) {
    return orders.stream().mapToInt(OrderMessage::quantity).sum();
  }

  public static HttpResponse<String> post(String url, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").header("Authorization", AUTHORIZATION)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<String> put(String url, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").header("Authorization", AUTHORIZATION)
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
            .header("Authorization", AUTHORIZATION).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
