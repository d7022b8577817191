package io.seckill.gateway.http;

import io.seckill.gateway.metrics.GatewayMetrics;
import io.vertx.core.http.HttpConnection;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bound on the public listener's open connections, shared by every event loop
 * ({@code SECKILL_MAX_CONNECTIONS}). An open HTTP/1.1 connection holds about 10 KB of the heap
 * (its Netty pipeline and queues, Vert.x's connection), busy or idle: during a first FlashCrowd on
 * cold JVMs the load generator opened about 13,800 of them, the live set passed the 160 MB heap,
 * and the gateway spent the rest of its life in back-to-back full collections. Past the bound a
 * new connection is closed at once, before a byte of it is read, and counted; the connections
 * already open go on being served. A crowd larger than the bound is met by more gateways (or a
 * bigger heap with a bigger bound), not by one that dies.
 */
public final class ConnectionCap {

  private final AtomicInteger open = new AtomicInteger();
  private final int max;
  private final GatewayMetrics metrics;

  public ConnectionCap(int max, GatewayMetrics metrics) {
    this.max = max;
    this.metrics = metrics;
    metrics.openConnections(open::get);
  }

  /** The listener's connection handler: counts the connection in, or closes it when the bound is reached. */
  public void accept(HttpConnection connection) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      metrics.connectionRefused();
      connection.close();
      return;
    }
    connection.closeHandler(closed -> open.decrementAndGet());
  }

  public int open() {
    return open.get();
  }
}
