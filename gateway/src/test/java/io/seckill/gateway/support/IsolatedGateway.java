package io.seckill.gateway.support;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seckill.gateway.Gateway;
import io.seckill.gateway.GatewayConfig;
import io.seckill.gateway.GatewayVerticle;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.Vertx;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in this JVM whose stock-service and order-worker are down (nothing listens where it
 * looks for them): for what the gateway answers on its own, without any server. A test may point
 * either at a stand-in of its own ({@code SECKILL_STOCK_URL}, {@code SECKILL_ORDER_URL}).
 */
public final class IsolatedGateway implements AutoCloseable {

  private final Vertx vertx;
  private final Gateway gateway;
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private IsolatedGateway(Vertx vertx, Gateway gateway, String base) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.base = base;
  }

  /** Starts one on a free port; {@code extraEnv} adds to its local settings (or replaces the upstream URLs). */
  public static IsolatedGateway start(Map<String, String> extraEnv) throws Exception {
    int port = ServiceProcess.freePort();
    int dead = ServiceProcess.freePort(); // nothing listens there
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("SECKILL_ENV", "local");
    env.put("SECKILL_GATEWAY_PORT", Integer.toString(port));
    env.putIfAbsent("SECKILL_STOCK_URL", "http://127.0.0.1:" + dead);
    env.putIfAbsent("SECKILL_ORDER_URL", "http://127.0.0.1:" + dead);
    GatewayConfig config = GatewayConfig.fromEnv(env, warning -> { });
    Vertx vertx = Vertx.vertx();
    Gateway gateway = Gateway.create(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    vertx.deployVerticle(new GatewayVerticle(gateway)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new IsolatedGateway(vertx, gateway, "http://127.0.0.1:" + port);
  }

  public Gateway gateway() {
    return gateway;
  }

  public String baseUrl() {
    return base;
  }

  public HttpClient http() {
    return http;
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
