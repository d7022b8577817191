package io.seckill.gateway.sale;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.contracts.SaleDefinition;
import io.seckill.contracts.http.PathParams;
import io.seckill.contracts.http.ProblemJson;
import io.seckill.gateway.http.Answer;
import io.seckill.gateway.upstream.InternalService;
import io.seckill.gateway.upstream.Reply;
import io.vertx.core.Future;
import io.seckill.gateway.http.JsonBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /admin/sales}, {@code GET /admin/sales/:id} and {@code POST /admin/sales/:id/restore};
 * the caller has been checked to hold the admin role.
 *
 * <p>Creation writes MySQL first (the record) and then warms Redis. Both steps are idempotent for
 * an identical definition, so when the second fails the admin repeats the same request. When
 * MySQL already held the sale, Redis is never warmed from the definition (that would put
 * {@code stock} units on sale again while MySQL holds orders for them): it is restored from
 * MySQL's snapshot instead, which stock-service refuses while Redis still holds the sale, and
 * order-worker refuses (409 {@code CREATIONS_IN_FLIGHT}, passed on) while creation messages are
 * still in the broker.
 */
public final class AdminRoutes {

  private final InternalService orderWorker;
  private final InternalService stockService;
  private final SaleCatalog catalog;
  private final SoldOutFlags soldOut;
  private final SaleAdmissions admissions;

  public AdminRoutes(InternalService orderWorker, InternalService stockService, SaleCatalog catalog,
                     SoldOutFlags soldOut, SaleAdmissions admissions) {
    this.orderWorker = orderWorker;
    this.stockService = stockService;
    this.catalog = catalog;
    this.soldOut = soldOut;
    this.admissions = admissions;
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
    String saleId = PathParams.checked(ctx, "id", Ids::isSaleId, PathParams.SALE_ID_RULE, Answer::problem);
    if (saleId == null) {
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
    if (recorded.status() == 201) {
      return stockService.put("/internal/sales/" + sale.id(), sale.toJson())
          .map(warmed -> new Created(recorded, warmed));
    }
    if (recorded.status() == 200) {
      // MySQL already had this sale: Redis gets it back as MySQL knows it, or keeps what it holds
      return restore(sale.id()).map(restored -> new Created(recorded, restored));
    }
    return Future.succeededFuture(new Created(recorded, null));
  }

  /**
   * The operator's recovery of a sale Redis lost (it came back empty): MySQL's snapshot of the sale
   * (available units, what each user holds, every order awaiting payment) rebuilt in Redis.
   * stock-service refuses with 409 SALE_LIVE while Redis holds any key of the sale.
   */
  public void restore(RoutingContext ctx) {
    String saleId = PathParams.checked(ctx, "id", Ids::isSaleId, PathParams.SALE_ID_RULE, Answer::problem);
    if (saleId == null) {
      return;
    }
    restore(saleId).onSuccess(reply -> {
      if (reply.status() == 201) {
        SaleDefinition sale = SaleCatalog.definition(reply.json());
        if (sale != null) {
          catalog.put(sale);
        }
        Answer.json(ctx, 201, reply.json());
      } else if (creationsInFlight(ctx, reply)) {
        // order-worker's refusal, already passed on
      } else if (reply.status() == 409) {
        Answer.problem(ctx, ErrorCode.SALE_LIVE, "Redis still holds sale '" + saleId + "': nothing to restore");
      } else {
        passThrough(ctx, reply);
      }
    }).onFailure(ctx::fail);
  }

  /**
   * A sale Redis holds is never restored, so it gets no snapshot either: asked first, stock-service
   * answers for it as its restore would (409 {@code SALE_LIVE}), and a repeated creation of a live
   * sale is not held up behind creations in flight on other sales. That answer can be stale by the
   * time a snapshot is taken; the restore itself refuses atomically while Redis holds the sale.
   */
  private Future<Reply> restore(String saleId) {
    return stockService.get("/internal/sales/" + saleId).compose(live -> live.status() == 200
        ? Future.succeededFuture(new Reply(409, ProblemJson.body(ErrorCode.SALE_LIVE, 409,
            "sale " + saleId + " is in Redis; a restore never overwrites it", null).toBuffer()))
        : orderWorker.get("/internal/sales/" + saleId + "/snapshot").compose(snapshot -> snapshot.status() != 200
            ? Future.succeededFuture(snapshot)
            : stockService.post("/internal/sales/" + saleId + "/restore", snapshot.json())));
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
    if (creationsInFlight(ctx, redis)) {
      return;
    }
    if (redis.status() == 409) {
      Answer.problem(ctx, ErrorCode.SALE_EXISTS, mysql.status() == 200
          ? "sale '" + sale.id() + "' already exists"
          : "a different sale '" + sale.id() + "' is live in stock-service");
      if (mysql.status() == 200) {
        catalog.put(sale);
      }
      return;
    }
    if (redis.status() != 200 && redis.status() != 201) {
      passThrough(ctx, redis);
      return;
    }
    catalog.put(sale);
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
        // this gateway's own figures (per replica): purchases it passed on to stock-service
        .put("admitted", admissions.total(saleId))
        .put("admittedPerSecond", admissions.perSecond(saleId))
        .put("reconciliation", db.getValue("reconciliation"));
    Answer.json(ctx, 200, view);
  }

  /**
   * order-worker refused the snapshot because creation messages are still in the broker: MySQL
   * lacks orders Redis had. Passed on as it came (409, its detail, {@code Retry-After}); nothing
   * was restored, and the operator repeats the call.
   */
  private static boolean creationsInFlight(RoutingContext ctx, Reply reply) {
    if (reply.status() != 409 || Answer.codeOf(reply.json(), null) != ErrorCode.CREATIONS_IN_FLIGHT) {
      return false;
    }
    ctx.response().putHeader("Retry-After", "1");
    passThrough(ctx, reply);
    return true;
  }

  private static void passThrough(RoutingContext ctx, Reply reply) {
    JsonObject json = reply.json();
    ErrorCode code = Answer.codeOf(json, ErrorCode.BAD_REQUEST);
    int status = reply.status() >= 400 && reply.status() < 500 ? reply.status() : code.status();
    Answer.problem(ctx, status, code, json.getString("detail", code.title()));
  }
}
