package io.seckill.stock.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

import java.util.List;

/**
 * A Redis client that sends every command of one event loop over one connection, pipelined. The
 * pooled client takes a connection per command and waits for its reply before another command
 * may use it; here many requests share one socket write and one read, which is where the reserve
 * path's throughput comes from.
 *
 * <p>A connection is given up, and the next command opens a new one, when it ends or fails, when
 * a command on it fails for a reason that is the connection's and not a reply of Redis (closed,
 * reset, no route to a cluster node), and when it reads nothing for the read-idle timeout that
 * {@link RedisClients} sets (a silent peer: TCP alone would keep it for ever). Holding on to such
 * a connection is how stock-service used to answer every reservation with an error after a
 * partition to Redis had healed, until it was restarted.
 */
final class PipelinedRedis implements Redis {

  private final Redis pool;
  private final Vertx vertx;
  private final long keepAliveTimer;
  private Future<RedisConnection> connection;

  /**
   * {@code keepAliveMillis}: a PING goes over the connection this often, so a healthy connection
   * of an idle verticle (a consumer between messages, a publisher waiting on the broker) always
   * reads something well within the read-idle timeout and is never closed for being quiet.
   */
  PipelinedRedis(Vertx vertx, Redis pool, long keepAliveMillis) {
    this.vertx = vertx;
    this.pool = pool;
    this.keepAliveTimer = vertx.setPeriodic(keepAliveMillis, id -> keepAlive());
  }

  private void keepAlive() {
    Future<RedisConnection> current = connection;
    if (current != null && current.succeeded()) {
      send(Request.cmd(Command.PING));
    }
  }

  @Override
  public Future<RedisConnection> connect() {
    return pool.connect();
  }

  @Override
  public Future<Response> send(Request request) {
    Future<RedisConnection> used = connection();
    return used.compose(c -> c.send(request)).onFailure(failure -> discardIfBroken(used, failure));
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    Future<RedisConnection> used = connection();
    return used.compose(c -> c.batch(requests)).onFailure(failure -> discardIfBroken(used, failure));
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(keepAliveTimer);
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
      c.exceptionHandler(e -> dropAndClose(next));
      c.endHandler(v -> dropAndClose(next));
    });
    return next;
  }

  /**
   * A reply of Redis (an error such as NOSCRIPT, MOVED or BUSY) says nothing against the
   * connection; anything else that failed a command (the connection closed under it, a write that
   * failed, a cluster node that could not be reached) does, so the next command starts afresh.
   * A full waiting queue is back-pressure on a healthy connection and keeps it.
   */
  private void discardIfBroken(Future<RedisConnection> used, Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    boolean redisReply = failure instanceof ErrorType error && !error.is("CONNECTION_CLOSED")
        && !BATCH_CONNECTION_FAILURE.matcher(message).find();
    if (redisReply || message.contains("waiting queue is full")) {
      return;
    }
    dropAndClose(used);
  }

  /**
   * A batch (a reservation followed by WAIT) fails with one {@code ERR [i] <cause>} line per
   * command, also when the cause is the connection's (reset, closed): that is an ErrorType too,
   * and was taken for a reply of Redis, so the cluster connection was kept and never closed.
   */
  private static final java.util.regex.Pattern BATCH_CONNECTION_FAILURE =
      java.util.regex.Pattern.compile("^ERR \\[\\d+\\] (CONNECTION_CLOSED|java\\.|io\\.netty\\.)");

  /**
   * Forgets {@code broken} and closes it: a cluster connection holds a pooled connection to every
   * node, which goes back to its pool only on close (a dead one is evicted); one only forgotten
   * keeps them checked out of pools of 2.
   */
  private void dropAndClose(Future<RedisConnection> broken) {
    if (drop(broken)) {
      broken.onSuccess(c -> c.close());
    }
  }

  private boolean drop(Future<RedisConnection> broken) {
    if (connection == broken) {
      connection = null;
      return true;
    }
    return false;
  }
}
