package io.seckill.order;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.http.ProblemJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes answers: {@code application/json} bodies, and problems through the one {@link ProblemJson} writer. */
public final class Replies {

  private Replies() {
  }

  public static Future<Void> problem(RoutingContext ctx, ErrorCode code, String detail) {
    return ProblemJson.send(ctx.response(), code, detail);
  }

  public static Future<Void> json(RoutingContext ctx, int status, Object body) {
    String encoded = body instanceof JsonObject o ? o.encode()
        : body instanceof io.vertx.core.json.JsonArray a ? a.encode() : String.valueOf(body);
    return ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(encoded);
  }
}
