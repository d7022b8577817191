package io.seckill.gateway.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;

/**
 * The benchmark's baseline: a bare Vert.x HTTP server on two event loops that answers every
 * request with the same small 409 problem body as the gateway's sold-out answer, so the two
 * differ only in the work the gateway does. Run by {@code load-tests/bench/sold-out-path.sh}.
 */
public final class ConstantServer extends VerticleBase {

  private static final Buffer BODY = Buffer.buffer(
      "{\"type\":\"https://seckill.io/problems/sold-out\",\"title\":\"Sold out\",\"status\":409,"
          + "\"detail\":\"sale 'bench' is sold out\",\"code\":\"SOLD_OUT\"}");

  private final int port;

  private ConstantServer(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer()
        .requestHandler(request -> request.body().onComplete(ar -> request.response()
            .setStatusCode(409)
            .putHeader("Content-Type", "application/problem+json")
            .end(BODY)))
        .listen(port);
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    vertx.deployVerticle(() -> new ConstantServer(port), new DeploymentOptions().setInstances(2))
        .onSuccess(id -> System.out.println("constant server listening on " + port))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }
}
