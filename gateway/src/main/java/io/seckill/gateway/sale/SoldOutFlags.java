package io.seckill.gateway.sale;

import io.micrometer.core.instrument.Meter;
import io.seckill.gateway.metrics.GatewayMetrics;
import io.seckill.gateway.upstream.InternalService;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Sales the gateway answers SOLD_OUT itself, without asking stock-service.
 *
 * <p>A flag is raised when stock-service answers SOLD_OUT with {@code available} 0. Units come back
 * when unpaid orders are cancelled, so a raised flag is only a cache: {@link #probe()} asks
 * stock-service about each flagged sale and lowers the flag as soon as units are available again.
 * A flag raised from a stale answer just after a probe lowered it costs one probe period, never a
 * lost sale.
 */
public final class SoldOutFlags {

  private final Set<String> flagged = ConcurrentHashMap.newKeySet();
  /** Each sale's gauge, registered the first time the sale is flagged. */
  private final Map<String, Meter> gauges = new ConcurrentHashMap<>();
  private final InternalService stockService;
  private final GatewayMetrics metrics;

  public SoldOutFlags(InternalService stockService, GatewayMetrics metrics) {
    this.stockService = stockService;
    this.metrics = metrics;
    metrics.soldOutFlags(flagged::size);
  }

  public boolean isSoldOut(String saleId) {
    return flagged.contains(saleId);
  }

  /** Flags the sale; true when the flag was down until now. */
  public boolean raise(String saleId) {
    boolean raised = flagged.add(saleId);
    gauges.computeIfAbsent(saleId, id -> metrics.soldOutFlag(id, () -> flagged.contains(id)));
    return raised;
  }

  /** Drops the flag and the gauge of every sale that is {@code over}: it ended, nothing is probed for it. */
  public void forget(Predicate<String> over) {
    flagged.removeIf(over);
    gauges.entrySet().removeIf(e -> {
      boolean gone = over.test(e.getKey());
      if (gone) {
        metrics.remove(e.getValue());
      }
      return gone;
    });
  }

  /** Asks stock-service about every flagged sale and lowers the flag of each with units available. */
  public Future<Void> probe() {
    List<Future<Void>> probes = new ArrayList<>();
    for (String saleId : flagged) {
      probes.add(stockService.get("/internal/sales/" + saleId)
          .map(reply -> {
            if (reply.status() == 404
                || (reply.status() == 200 && reply.json().getValue("available") instanceof Number n && n.longValue() > 0)) {
              flagged.remove(saleId);
            }
            return (Void) null;
          })
          .otherwiseEmpty());
    }
    return Future.join(probes).mapEmpty();
  }
}
