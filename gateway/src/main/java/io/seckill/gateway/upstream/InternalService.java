package io.seckill.gateway.upstream;

import io.seckill.contracts.http.ServiceCredential;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.URI;

/**
 * One internal service reached over keep-alive HTTP/1.1. A connection failure, a timeout or a
 * 5xx becomes a failed future with {@link UpstreamUnavailable}; every other status is a
 * {@link Reply} for the caller to interpret.
 *
 * <p>Calls go through a circuit breaker: after {@link #MAX_FAILURES} such failures within 10 s
 * the circuit opens and every call fails at once (the buyer gets 503 with {@code Retry-After}
 * instead of waiting out a timeout, and a dead upstream is not hammered); after
 * {@link #RESET_MILLIS} one call is let through (half-open) and its success closes the circuit.
 */
public class InternalService {

  static final int MAX_FAILURES = 5;
  static final long RESET_MILLIS = 2_000;

  private final String name;
  private final WebClient client;
  private final CircuitBreaker breaker;
  private final long timeoutMillis;
  private final String authorization;

  /** @param credential presented on every call ({@code Authorization: Bearer …}) */
  public InternalService(Vertx vertx, String name, URI baseUrl, ServiceCredential credential, int poolSize,
                         long timeoutMillis) {
    this.name = name;
    this.timeoutMillis = timeoutMillis;
    this.authorization = credential.authorization();
    int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : 80;
    this.client = WebClient.create(vertx,
        new WebClientOptions()
            .setDefaultHost(baseUrl.getHost())
            .setDefaultPort(port)
            .setKeepAlive(true)
            .setTcpNoDelay(true)
            .setConnectTimeout((int) Math.min(timeoutMillis, 2_000)),
        new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(10_000));
    this.breaker = CircuitBreaker.create(name, vertx, new CircuitBreakerOptions()
        .setMaxFailures(MAX_FAILURES)
        // the request's own timeout applies; the breaker only counts its outcome
        .setTimeout(-1)
        .setResetTimeout(RESET_MILLIS)
        .setNotificationAddress(null));
  }

  /** 1 while the circuit is open (calls fail at once), 0.5 half-open, 0 closed. */
  public double circuitState() {
    return switch (breaker.state()) {
      case OPEN -> 1.0;
      case HALF_OPEN -> 0.5;
      case CLOSED -> 0.0;
    };
  }

  public String name() {
    return name;
  }

  public Future<Reply> get(String path) {
    return send(client.request(HttpMethod.GET, path), null);
  }

  public Future<Reply> post(String path, JsonObject body) {
    return send(client.request(HttpMethod.POST, path), body);
  }

  public Future<Reply> put(String path, JsonObject body) {
    return send(client.request(HttpMethod.PUT, path), body);
  }

  public void close() {
    client.close();
  }

  private Future<Reply> send(HttpRequest<Buffer> request, JsonObject body) {
    return breaker.<Reply>execute(() -> call(request, body))
        .recover(e -> Future.failedFuture(e instanceof OpenCircuitException
            ? new UpstreamUnavailable(name, "circuit open after repeated failures") : e));
  }

  private Future<Reply> call(HttpRequest<Buffer> request, JsonObject body) {
    request.timeout(timeoutMillis).putHeader("Authorization", authorization);
    Future<io.vertx.ext.web.client.HttpResponse<Buffer>> sent =
        body == null ? request.send() : request.sendJsonObject(body);
    return sent.transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new UpstreamUnavailable(name, ar.cause()));
      }
      if (ar.result().statusCode() >= 500) {
        return Future.failedFuture(new UpstreamUnavailable(name, ar.result().statusCode()));
      }
      return Future.succeededFuture(Reply.of(ar.result()));
    });
  }
}
