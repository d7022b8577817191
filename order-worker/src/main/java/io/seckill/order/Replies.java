package io.seckill.order;

import io.seckill.contracts.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes answers: {@code application/json} bodies and {@code application/problem+json} problems. */
public final class Replies {

  private Replies() {
  }

  public static Future<Void> problem(RoutingContext ctx, ErrorCode code, String detail) {
    JsonObject body = new JsonObject()
        .put("type", code.type())
        .put("title", code.title())
        .put("status", code.status())
        .put("detail", detail)
        .put("code", code.name());
    return ctx.response()
        .setStatusCode(code.status())
        .putHeader("Content-Type", "application/problem+json")
        .end(body.encode());
  }

  public static Future<Void> json(RoutingContext ctx, int status, Object body) {
    String encoded = body instanceof JsonObject o ? o.encode()
        : body instanceof io.vertx.core.json.JsonArray a ? a.encode() : String.valueOf(body);
    return ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(encoded);
  }
}
