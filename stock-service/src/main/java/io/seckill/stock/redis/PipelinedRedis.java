package io.seckill.stock.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;

/**
 * A Redis client that sends every command of one event loop over one connection, pipelined. The
 * pooled client takes a connection per command and waits for its reply before another command
 * may use it; here many requests share one socket write and one read, which is where the reserve
 * path's throughput comes from. A broken connection is dropped and the next command reconnects.
 */
final class PipelinedRedis implements Redis {

  private final Redis pool;
  private Future<RedisConnection> connection;

  PipelinedRedis(Redis pool) {
    this.pool = pool;
  }

  @Override
  public Future<RedisConnection> connect() {
    return pool.connect();
  }

  @Override
  public Future<Response> send(Request request) {
    return connection().compose(c -> c.send(request));
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    return connection().compose(c -> c.batch(requests));
  }

  @Override
  public Future<Void> close() {
    Future<RedisConnection> current = connection;
    connection = null;
    Future<Void> closed = current == null ? Future.succeededFuture()
        : current.compose(RedisConnection::close).otherwiseEmpty();
    return closed.compose(v -> pool.close());
  }

  private Future<RedisConnection> connection() {
    Future<RedisConnection> current = connection;
    if (current != null && !current.failed()) {
      return current;
    }
    Future<RedisConnection> next = pool.connect();
    connection = next;
    next.onSuccess(c -> {
      c.exceptionHandler(e -> drop(next));
      c.endHandler(v -> drop(next));
    });
    return next;
  }

  private void drop(Future<RedisConnection> broken) {
    if (connection == broken) {
      connection = null;
    }
  }
}
