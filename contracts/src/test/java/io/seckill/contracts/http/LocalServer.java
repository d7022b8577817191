package io.seckill.contracts.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An in-process Vert.x HTTP server on a free port of 127.0.0.1, for tests of the code that writes
 * to a real {@link io.vertx.core.http.HttpServerResponse} or reads a real
 * {@link io.vertx.ext.web.RoutingContext}. Nothing outside the test process is started.
 */
final class LocalServer implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(TIMEOUT)
      .build();

  private LocalServer(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts a server whose router {@code routes} sets up. */
  static LocalServer start(Consumer<Router> routes) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      routes.accept(router);
      HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
      return new LocalServer(vertx, server);
    } catch (Exception | Error e) {
      await(vertx.close());
      throw e;
    }
  }

  /**
   * A GET of {@code pathAndQuery}, sent as written (percent-escapes stay escaped on the wire). The
   * whole exchange, body included, is bounded: an answer that never ends fails the test.
   */
  HttpResponse<String> get(String pathAndQuery) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + pathAndQuery))
        .timeout(TIMEOUT)
        .GET()
        .build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
