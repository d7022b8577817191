package io.seckill.gateway.sale;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Keeps the gateway's local knowledge fresh: reloads the sale catalog every {@code refreshMillis}
 * and probes the sold-out flags every {@code probeMillis}; after each reload, sales that have
 * ended leave the flags and the replay cache. One instance per process; a slow
 * answer never piles up, because the next round is scheduled only after the last one finished.
 */
public final class SaleWatchVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SaleWatchVerticle.class);

  private final SaleCatalog catalog;
  private final SoldOutFlags soldOut;
  private final Consumer<Predicate<String>> forgetReplays;
  private final long refreshMillis;
  private final long probeMillis;
  private volatile boolean stopped;
  private long refreshTimer = -1;
  private long probeTimer = -1;

  /**
   * @param forgetReplays told after each refresh which sales are over, so their replay answers go
   */
  public SaleWatchVerticle(SaleCatalog catalog, SoldOutFlags soldOut, Consumer<Predicate<String>> forgetReplays,
                           long refreshMillis, long probeMillis) {
    this.catalog = catalog;
    this.soldOut = soldOut;
    this.forgetReplays = forgetReplays;
    this.refreshMillis = refreshMillis;
    this.probeMillis = probeMillis;
  }

  @Override
  public Future<?> start() {
    scheduleProbe();
    // The first load is best effort: order-worker may start after the gateway.
    return catalog.refresh()
        .onFailure(e -> LOG.warn("first sale list load failed, retrying every {} ms: {}", refreshMillis, e.getMessage()))
        .otherwiseEmpty()
        .onComplete(ar -> scheduleRefresh());
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(refreshTimer);
    vertx.cancelTimer(probeTimer);
    return Future.succeededFuture();
  }

  private void scheduleRefresh() {
    if (!stopped) {
      refreshTimer = vertx.setTimer(refreshMillis, id -> catalog.refresh()
          .onFailure(e -> LOG.debug("sale list refresh failed: {}", e.getMessage()))
          .onComplete(ar -> {
            forgetEnded();
            scheduleRefresh();
          }));
    }
  }

  /** Ended sales leave the sold-out probe and the replay cache: every purchase of them is SALE_ENDED. */
  private void forgetEnded() {
    Instant now = Instant.now();
    Predicate<String> over = saleId -> catalog.isOver(saleId, now);
    soldOut.forget(over);
    forgetReplays.accept(over);
  }

  private void scheduleProbe() {
    if (!stopped) {
      probeTimer = vertx.setTimer(probeMillis, id -> soldOut.probe().onComplete(ar -> scheduleProbe()));
    }
  }
}
