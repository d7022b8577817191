package io.seckill.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pass-through HTTP proxy in front of a real service that holds requests whose path contains
 * {@code slowPathPart} until the test calls {@link #release()}: it keeps requests in flight at the
 * gateway for exactly as long as a test needs to shut the gateway down under them, however slow
 * the machine is.
 */
public final class SlowProxy implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client;
  private final HttpServer server;
  private final AtomicInteger held = new AtomicInteger();
  private final URI target;
  private final String slowPathPart;
  private final int port;
  private final io.vertx.core.Promise<Void> released = io.vertx.core.Promise.promise();

  public SlowProxy(URI target, String slowPathPart, int port) throws Exception {
    this.target = target;
    this.slowPathPart = slowPathPart;
    this.port = port;
    this.client = vertx.createHttpClient();
    this.server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Forwards every held request, and every later one at once. */
  public void release() {
    released.tryComplete();
  }

  /** Requests currently being held back. */
  public int held() {
    return held.get();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      if (request.path().contains(slowPathPart)) {
        held.incrementAndGet();
        released.future().onComplete(go -> forward(request, body).onComplete(ar -> held.decrementAndGet()));
      } else {
        forward(request, body);
      }
    });
  }

  private io.vertx.core.Future<?> forward(HttpServerRequest request, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(target.getHost())
        .setPort(target.getPort()).setURI(request.uri());
    return client.request(options)
        .compose(out -> {
          request.headers().forEach(h -> {
            if (!h.getKey().equalsIgnoreCase("Host") && !h.getKey().equalsIgnoreCase("Content-Length")) {
              out.putHeader(h.getKey(), h.getValue());
            }
          });
          return out.send(body);
        })
        .compose(response -> response.body().map(b -> {
          request.response().setStatusCode(response.statusCode());
          response.headers().forEach(h -> {
            if (!h.getKey().equalsIgnoreCase("Content-Length") && !h.getKey().equalsIgnoreCase("Transfer-Encoding")) {
              request.response().putHeader(h.getKey(), h.getValue());
            }
          });
          request.response().end(b);
          return b;
        }))
        .onFailure(e -> request.response().setStatusCode(502).end());
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
