package io.seckill.stock.reservation;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.contracts.http.PathParams;
import io.seckill.stock.StockMetrics;
import io.seckill.stock.http.Problems;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Pattern;

/**
 * {@code POST /internal/sales/:saleId/reservations} and {@code GET /internal/reservations/:orderId}.
 */
public final class ReservationRoutes {

  /** An HSCAN cursor: an unsigned 64-bit number. */
  private static final Pattern CURSOR = Pattern.compile("[0-9]{1,20}");

  private final Reservations reservations;
  private final StockMetrics metrics;

  public ReservationRoutes(Reservations reservations, StockMetrics metrics) {
    this.reservations = reservations;
    this.metrics = metrics;
  }

  public void mount(Router router) {
    router.post("/internal/sales/:saleId/reservations").handler(this::reserve);
    router.get("/internal/reservations/:orderId").handler(this::find);
    router.get("/internal/sales/:saleId/keyed-reservations").handler(this::keyed);
  }

  /**
   * {@code {"reservations":[{...reservation, "idempotencyKey"}], "next": cursor}}: one page of what
   * gateways replay after sell-out; {@code next} is null after the last page. {@code ?cursor=}
   * (decimal, default 0) asks for the page after an earlier one.
   */
  private void keyed(RoutingContext ctx) {
    String saleId = PathParams.checked(ctx, "saleId", Ids::isSaleId, PathParams.SALE_ID_RULE, Problems::send);
    if (saleId == null) {
      return;
    }
    String cursor = ctx.queryParams().get("cursor");
    if (cursor == null) {
      cursor = "0";
    } else if (!CURSOR.matcher(cursor).matches()) {
      Problems.send(ctx, ErrorCode.BAD_REQUEST, "cursor must be the decimal 'next' of an earlier page");
      return;
    }
    reservations.keyed(saleId, cursor)
        .onSuccess(page -> ctx.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("reservations", new JsonArray(page.reservations()))
                .put("next", page.next()).toBuffer()))
        .onFailure(ctx::fail);
  }

  private void reserve(RoutingContext ctx) {
    String saleId = PathParams.checked(ctx, "saleId", Ids::isSaleId, PathParams.SALE_ID_RULE, Problems::send);
    if (saleId == null) {
      return;
    }
    ReserveRequest request;
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw new IllegalArgumentException("body must be a JSON object");
      }
      request = ReserveRequest.fromJson(body);
    } catch (IllegalArgumentException e) {
      metrics.reservation("BAD_REQUEST");
      Problems.send(ctx, ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    } catch (RuntimeException e) {
      metrics.reservation("BAD_REQUEST");
      Problems.send(ctx, ErrorCode.BAD_REQUEST, "body must be a JSON object");
      return;
    }
    reservations.reserve(saleId, request)
        .onSuccess(outcome -> answer(ctx, saleId, outcome))
        .onFailure(ctx::fail);
  }

  private void answer(RoutingContext ctx, String saleId, ReserveOutcome outcome) {
    metrics.reservation(outcome.label());
    if (outcome instanceof ReserveOutcome.Reserved reserved) {
      JsonObject body = reserved.reservation().toJson().put("replayed", reserved.replayed());
      ctx.response().setStatusCode(reserved.replayed() ? 200 : 201)
          .putHeader("Content-Type", "application/json")
          .end(body.toBuffer());
    } else if (outcome instanceof ReserveOutcome.SoldOut soldOut) {
      Problems.send(ctx, ErrorCode.SOLD_OUT, soldOut.available() == 0 ? "sale " + saleId + " is sold out"
              : "only " + soldOut.available() + " units left",
          new JsonObject().put("available", soldOut.available()));
    } else if (outcome instanceof ReserveOutcome.LimitExceeded limit) {
      Problems.send(ctx, ErrorCode.LIMIT_EXCEEDED, "the user already holds " + limit.held()
          + " units of sale " + saleId, new JsonObject().put("held", limit.held()));
    } else if (outcome instanceof ReserveOutcome.NotStarted) {
      Problems.send(ctx, ErrorCode.SALE_NOT_STARTED, "sale " + saleId + " has not started");
    } else if (outcome instanceof ReserveOutcome.Ended) {
      Problems.send(ctx, ErrorCode.SALE_ENDED, "sale " + saleId + " has ended");
    } else {
      Problems.send(ctx, ErrorCode.SALE_NOT_FOUND, "no sale " + saleId + " in Redis");
    }
  }

  private void find(RoutingContext ctx) {
    String orderId = PathParams.checked(ctx, "orderId", Ids::isOrderId,
        "order id must be <saleId>.<26 Crockford base32 characters>", Problems::send);
    if (orderId == null) {
      return;
    }
    reservations.find(orderId).onSuccess(reservation -> {
      if (reservation == null) {
        Problems.send(ctx, ErrorCode.ORDER_NOT_FOUND, "no reservation " + orderId);
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end(reservation.toJson().toBuffer());
      }
    }).onFailure(ctx::fail);
  }
}
