package io.seckill.order;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.concurrent.Callable;

/**
 * Runs blocking JDBC work for the HTTP routes off the event loop, on a worker pool as large as the
 * connection pool, unordered.
 *
 * <p>Unordered matters: {@code vertx.executeBlocking(callable)} is ordered per context, so every
 * order lookup, payment and readiness probe of the server ran one at a time behind each other (a
 * FlashCrowd measured 1.4 s per lookup that way). Threads beyond the connection pool would only
 * wait for a connection, so the pool size bounds this executor too.
 */
public final class MysqlWork {

  private final WorkerExecutor executor;

  public MysqlWork(Vertx vertx, int poolSize) {
    this.executor = vertx.createSharedWorkerExecutor("order-worker-mysql", poolSize);
  }

  public <T> Future<T> run(Callable<T> work) {
    return executor.executeBlocking(work, false);
  }
}
