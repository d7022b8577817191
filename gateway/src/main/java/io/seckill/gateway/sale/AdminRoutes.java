package io.seckill.gateway.sale;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.contracts.SaleDefinition;
import io.seckill.gateway.http.Answer;
import io.seckill.gateway.upstream.InternalService;
import io.seckill.gateway.upstream.Reply;
import io.vertx.core.Future;
import io.seckill.gateway.http.JsonBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /admin/sales} and {@code GET /admin/sales/:id}; the caller has been checked to hold
 * the admin role.
 *
 * <p>Creation writes MySQL first (the record) and then warms Redis. Both steps are idempotent for
 * an identical definition, so when the second fails the admin repeats the same request.
 */
public final class AdminRoutes {

  private final InternalService orderWorker;
  private final InternalService stockService;
  private final SaleCatalog catalog;
  private final SoldOutFlags soldOut;

  public AdminRoutes(InternalService orderWorker, InternalService stockService, SaleCatalog catalog,
                     SoldOutFlags soldOut) {
    this.orderWorker = orderWorker;
    this.stockService = stockService;
    this.catalog = catalog;
    this.soldOut = soldOut;
  }

  public void create(RoutingContext ctx) {
    SaleDefinition sale;
    try {
      sale = parse(ctx);
    } catch (IllegalArgumentException e) {
      Answer.problem(ctx, ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    orderWorker.post("/internal/sales", sale.toJson())
        .compose(recorded -> warm(sale, recorded))
        .onSuccess(created -> answerCreate(ctx, sale, created))
        .onFailure(ctx::fail);
  }

  public void get(RoutingContext ctx) {
    String saleId = ctx.pathParam("id");
    if (!Ids.isSaleId(saleId)) {
      Answer.problem(ctx, ErrorCode.BAD_REQUEST, "sale id must be 1-64 of A-Z a-z 0-9 - _");
      return;
    }
    Future<Reply> mysql = orderWorker.get("/internal/sales/" + saleId);
    Future<Reply> redis = stockService.get("/internal/sales/" + saleId);
    Future.all(mysql, redis)
        .onSuccess(both -> answerGet(ctx, saleId, mysql.result(), redis.result()))
        .onFailure(ctx::fail);
  }

  private static SaleDefinition parse(RoutingContext ctx) {
    return SaleDefinition.fromJson(JsonBody.object(ctx.body().buffer(), "a sale definition JSON object"));
  }

  /** Outcome of the two steps: which store, if any, created something, or why it was refused. */
  private record Created(Reply mysql, Reply redis) {
  }

  private Future<Created> warm(SaleDefinition sale, Reply recorded) {
    if (recorded.status() != 200 && recorded.status() != 201) {
      return Future.succeededFuture(new Created(recorded, null));
    }
    return stockService.put("/internal/sales/" + sale.id(), sale.toJson())
        .map(warmed -> new Created(recorded, warmed));
  }

  private void answerCreate(RoutingContext ctx, SaleDefinition sale, Created created) {
    Reply mysql = created.mysql();
    if (mysql.status() == 409) {
      Answer.problem(ctx, ErrorCode.SALE_EXISTS, "a different sale '" + sale.id() + "' exists");
      return;
    }
    if (created.redis() == null) {
      passThrough(ctx, mysql);
      return;
    }
    Reply redis = created.redis();
    if (redis.status() == 409) {
      Answer.problem(ctx, ErrorCode.SALE_EXISTS, "a different sale '" + sale.id() + "' is live in stock-service");
      return;
    }
    if (redis.status() != 200 && redis.status() != 201) {
      passThrough(ctx, redis);
      return;
    }
    catalog.put(sale);
    if (mysql.status() == 200 && redis.status() == 200) {
      Answer.problem(ctx, ErrorCode.SALE_EXISTS, "sale '" + sale.id() + "' already exists");
      return;
    }
    Answer.json(ctx, 201, sale.toJson());
  }

  private void answerGet(RoutingContext ctx, String saleId, Reply mysql, Reply redis) {
    if (mysql.status() != 200) {
      Answer.problem(ctx, ErrorCode.SALE_NOT_FOUND, "no sale '" + saleId + "'");
      return;
    }
    JsonObject db = mysql.json();
    JsonObject view = SaleCatalog.definition(db) == null ? new JsonObject() : SaleCatalog.definition(db).toJson();
    JsonObject live = redis.status() == 200 ? redis.json() : null;
    long stock = view.getLong("stock", 0L);
    Long available = live == null ? null : live.getLong("available");
    view.put("available", available)
        // Units held by reservations in Redis: awaiting payment, paid, or not yet recorded in MySQL.
        .put("reserved", available == null ? null : stock - available)
        .put("awaitingPayment", db.getValue("awaitingPayment"))
        .put("paid", db.getValue("paid"))
        .put("cancelled", db.getValue("cancelled"))
        .put("orders", db.getValue("orders"))
        .put("mysqlAvailable", db.getValue("available"))
        .put("soldOutFlag", soldOut.isSoldOut(saleId))
        .put("reconciliation", db.getValue("reconciliation"));
    Answer.json(ctx, 200, view);
  }

  private static void passThrough(RoutingContext ctx, Reply reply) {
    JsonObject json = reply.json();
    ErrorCode code = Answer.codeOf(json, ErrorCode.BAD_REQUEST);
    int status = reply.status() >= 400 && reply.status() < 500 ? reply.status() : code.status();
    Answer.problem(ctx, status, code, json.getString("detail", code.title()));
  }
}
