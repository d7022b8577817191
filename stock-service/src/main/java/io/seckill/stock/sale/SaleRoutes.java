package io.seckill.stock.sale;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.contracts.SaleDefinition;
import io.seckill.contracts.http.PathParams;
import io.seckill.stock.http.Problems;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code PUT /internal/sales/:saleId} (warm) and {@code GET /internal/sales/:saleId} (counters). */
public final class SaleRoutes {

  private final SaleCatalog catalog;

  public SaleRoutes(SaleCatalog catalog) {
    this.catalog = catalog;
  }

  public void mount(Router router) {
    router.put("/internal/sales/:saleId").handler(this::warm);
    router.get("/internal/sales/:saleId").handler(this::counters);
  }

  private void warm(RoutingContext ctx) {
    String saleId = ctx.pathParam("saleId");
    SaleDefinition sale;
    try {
      JsonObject body = ctx.body().asJsonObject();
      sale = SaleDefinition.fromJson(body);
    } catch (RuntimeException e) {
      Problems.send(ctx, ErrorCode.BAD_REQUEST, message(e));
      return;
    }
    if (!sale.id().equals(saleId)) {
      Problems.send(ctx, ErrorCode.BAD_REQUEST, "the body's 'id' must equal the sale id in the path");
      return;
    }
    catalog.warm(sale).onSuccess(outcome -> {
      switch (outcome) {
        case CREATED, REPLACED -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .end(sale.toJson().toBuffer());
        case IDENTICAL -> ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
            .end(sale.toJson().toBuffer());
        case SALE_LIVE -> Problems.send(ctx, ErrorCode.SALE_LIVE,
            "sale " + saleId + " holds a different definition and is live or has reservations; it is not overwritten");
      }
    }).onFailure(ctx::fail);
  }

  private void counters(RoutingContext ctx) {
    String saleId = PathParams.checked(ctx, "saleId", Ids::isSaleId, PathParams.SALE_ID_RULE, Problems::send);
    if (saleId == null) {
      return;
    }
    catalog.counters(saleId).onSuccess(counters -> {
      if (counters == null) {
        Problems.send(ctx, ErrorCode.SALE_NOT_FOUND, "no sale " + saleId + " in Redis");
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end(counters.toJson().toBuffer());
      }
    }).onFailure(ctx::fail);
  }

  private static String message(RuntimeException e) {
    return e instanceof IllegalArgumentException ? e.getMessage() : "body must be a JSON object";
  }
}
