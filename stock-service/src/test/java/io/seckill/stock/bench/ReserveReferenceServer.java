package io.seckill.stock.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

import java.util.List;
import java.util.UUID;

/**
 * purchaseEndToEnd's reference: a bare Vert.x HTTP server on two event loops that answers every
 * request with one EVALSHA of {@code lua/reserve-5.lua} (a new user and order id each time, on one
 * sale warmed by the bench script) and a 202 with the order id: the least a purchase can cost.
 * Each verticle owns one Redis connection and pipelines on it, as stock-service's verticles do
 * (a pooled client that takes a connection per command kept only a few commands in flight, and with
 * {@code appendfsync always} each of Redis' fsyncs then covered only those few).
 * Run by {@code load-tests/bench/purchase-end-to-end.sh}.
 *
 * <p>Arguments: port, Redis connection string (with the password), script SHA-1, sale id.
 */
public final class ReserveReferenceServer extends VerticleBase {

  private final int port;
  private final String redisUrl;
  private final String sha;
  private final List<String> keys;
  private final String prefix = UUID.randomUUID().toString().substring(0, 8);
  private long counter;

  private ReserveReferenceServer(int port, String redisUrl, String sha, String sale) {
    this.port = port;
    this.redisUrl = redisUrl;
    this.sha = sha;
    String key = "sale:{" + sale + "}";
    this.keys = List.of(key, key + ":held", key + ":res", key + ":idem", key + ":outbox");
  }

  @Override
  public Future<?> start() {
    return Redis.createClient(vertx, new RedisOptions()
            .setConnectionString(redisUrl)
            .setMaxWaitingHandlers(8192)
            .setProtocolNegotiation(false)
            .setPreferredProtocolVersion(ProtocolVersion.RESP2))
        .connect()
        .compose(connection -> serve(RedisAPI.api(connection)));
  }

  /** Every request's EVALSHA goes out on the verticle's one connection, pipelined behind the others in flight. */
  private Future<?> serve(RedisAPI redis) {
    return vertx.createHttpServer()
        .requestHandler(request -> request.body().onComplete(body -> {
          long n = ++counter;
          String user = "ref-" + prefix + "-" + n;
          String orderId = prefix + "-" + n;
          redis.evalsha(List.of(sha, "5", keys.get(0), keys.get(1), keys.get(2), keys.get(3), keys.get(4),
                  user, "1", orderId, ""))
              .onComplete(ar -> {
                if (ar.succeeded() && ar.result().get(0).toInteger() == 1) {
                  request.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                      .end(new JsonObject().put("orderId", orderId).put("status", "RESERVED").encode());
                } else {
                  request.response().setStatusCode(503)
                      .end(ar.succeeded() ? ar.result().toString() : String.valueOf(ar.cause()));
                }
              });
        }))
        .listen(port);
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    vertx.deployVerticle(() -> new ReserveReferenceServer(port, args[1], args[2], args[3]),
            new DeploymentOptions().setInstances(2))
        .onSuccess(id -> System.out.println("reference server listening on " + port))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }
}
