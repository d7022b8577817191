package io.seckill.stock.botdefense;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.stock.http.Problems;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Pattern;

/**
 * {@code POST /internal/sales/:saleId/solutions} {@code {"challenge":"<64 hex>","ttlSeconds":n}}: 201
 * the first time a challenge's solution is traded for a ticket, 409 {@code SOLUTION_USED} after.
 */
public final class SolutionRoutes {

  /** A challenge lives at most an hour (the gateway's bound); two bound what a caller can make Redis keep. */
  public static final long MAX_TTL_SECONDS = 7_200;
  private static final Pattern CHALLENGE = Pattern.compile("[0-9a-f]{64}");

  private final SolutionLedger ledger;

  public SolutionRoutes(SolutionLedger ledger) {
    this.ledger = ledger;
  }

  public void mount(Router router) {
    router.post("/internal/sales/:saleId/solutions").handler(this::accept);
  }

  private void accept(RoutingContext ctx) {
    String saleId = ctx.pathParam("saleId");
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    Object challenge = body == null ? null : body.getValue("challenge");
    Object ttl = body == null ? null : body.getValue("ttlSeconds");
    if (!Ids.isSaleId(saleId) || !(challenge instanceof String hash) || !CHALLENGE.matcher(hash).matches()
        || !(ttl instanceof Integer || ttl instanceof Long)
        || ((Number) ttl).longValue() < 1 || ((Number) ttl).longValue() > MAX_TTL_SECONDS) {
      Problems.send(ctx, ErrorCode.BAD_REQUEST,
          "body must be {\"challenge\": 64 lower-case hex, \"ttlSeconds\": 1-" + MAX_TTL_SECONDS + "}");
      return;
    }
    ledger.acceptOnce(saleId, hash, ((Number) ttl).longValue()).onSuccess(first -> {
      if (first) {
        ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("accepted", true).toBuffer());
      } else {
        Problems.send(ctx, ErrorCode.SOLUTION_USED, "this challenge was already solved and traded for a ticket");
      }
    }).onFailure(ctx::fail);
  }
}
