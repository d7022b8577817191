package io.seckill.stock.restore;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.contracts.http.PathParams;
import io.seckill.contracts.http.ProblemJson;
import io.seckill.stock.http.Problems;
import io.seckill.stock.sale.SaleCatalog;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /internal/sales/:saleId/restore} with order-worker's snapshot of the sale: the
 * operator's recovery of a sale that Redis lost (docs/redis-recovery.md). 201 with the restored
 * counters; 409 {@code SALE_LIVE} when Redis holds the sale (nothing changed); 400 for a snapshot
 * that is malformed or does not add up (nothing changed). A body that is order-worker's refusal
 * to snapshot (409 {@code CREATIONS_IN_FLIGHT}, 503, …) is answered as it came ({@link SnapshotRefusal}).
 */
public final class RestoreRoutes {

  /** A snapshot of 100k live orders is ~20 MB of JSON; every other route keeps its small limit. */
  public static final long BODY_LIMIT = 64L * 1024 * 1024;
  private static final Pattern PATH = Pattern.compile("/internal/sales/[^/]+/restore");

  private final Restores restores;
  private final SaleCatalog catalog;

  public RestoreRoutes(Restores restores, SaleCatalog catalog) {
    this.restores = restores;
    this.catalog = catalog;
  }

  /** Whether the request is a restore, whose body may be up to {@link #BODY_LIMIT}. */
  public static boolean isRestore(HttpServerRequest request) {
    return request.method() == HttpMethod.POST && PATH.matcher(request.path()).matches();
  }

  public void mount(Router router) {
    router.post("/internal/sales/:saleId/restore").handler(this::restore);
  }

  /** A parsed snapshot, or why it was refused, or order-worker's refusal that came in its place. */
  private record Parsed(SaleSnapshot snapshot, String problem, SnapshotRefusal refusal) {
    Parsed(SaleSnapshot snapshot, String problem) {
      this(snapshot, problem, null);
    }
  }

  private void restore(RoutingContext ctx) {
    String saleId = PathParams.checked(ctx, "saleId", Ids::isSaleId, PathParams.SALE_ID_RULE, Problems::send);
    if (saleId == null) {
      return;
    }
    // megabytes of JSON: parsed and checked off the event loop
    ctx.vertx().executeBlocking(() -> parse(ctx, saleId), false)
        .onSuccess(parsed -> {
          if (parsed.refusal() != null) {
            relay(ctx, parsed.refusal());
          } else if (parsed.problem() != null) {
            Problems.send(ctx, ErrorCode.BAD_REQUEST, parsed.problem());
          } else {
            run(ctx, parsed.snapshot());
          }
        })
        .onFailure(ctx::fail);
  }

  private static Parsed parse(RoutingContext ctx, String saleId) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      Optional<SnapshotRefusal> refusal = SnapshotRefusal.of(body);
      if (refusal.isPresent()) {
        return new Parsed(null, null, refusal.get());
      }
      return new Parsed(SaleSnapshot.fromJson(body, saleId), null);
    } catch (IllegalArgumentException e) {
      return new Parsed(null, e.getMessage());
    } catch (RuntimeException e) {
      return new Parsed(null, "body must be a JSON object (order-worker's sale snapshot)");
    }
  }

  /** Nothing is written: the snapshot's own answer goes back to the operator as it came. */
  private static void relay(RoutingContext ctx, SnapshotRefusal refusal) {
    if (refusal.retryable()) {
      ctx.response().putHeader("Retry-After", "1");
    }
    ProblemJson.send(ctx.response(), refusal.code(), refusal.status(), refusal.detail(), null);
  }

  private void run(RoutingContext ctx, SaleSnapshot snapshot) {
    restores.restore(snapshot)
        .onSuccess(outcome -> answer(ctx, snapshot, outcome))
        .onFailure(ctx::fail);
  }

  private void answer(RoutingContext ctx, SaleSnapshot snapshot, RestoreOutcome outcome) {
    String saleId = snapshot.sale().id();
    switch (outcome) {
      case RESTORED -> catalog.counters(saleId)
          .onSuccess(counters -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
              .end(counters.toJson().put("restoredReservations", snapshot.orders().size()).toBuffer()))
          .onFailure(ctx::fail);
      case SALE_LIVE -> Problems.send(ctx, ErrorCode.SALE_LIVE, "sale " + saleId
          + " is in Redis; a restore never overwrites it (Redis may know reservations MySQL does not yet)");
      case INCOMPLETE -> Problems.send(ctx, ErrorCode.UNAVAILABLE,
          "the staged snapshot was incomplete when committed; nothing changed, repeat the restore");
    }
  }
}
