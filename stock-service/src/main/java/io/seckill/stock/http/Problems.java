package io.seckill.stock.http;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.http.ProblemJson;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** stock-service's answers through the one {@link ProblemJson} writer. */
public final class Problems {

  private Problems() {
  }

  public static void send(RoutingContext ctx, ErrorCode code, String detail) {
    send(ctx, code, detail, null);
  }

  /** {@code extra} fields (may be null) are added beside the standard ones. */
  public static void send(RoutingContext ctx, ErrorCode code, String detail, JsonObject extra) {
    ProblemJson.send(ctx.response(), code, code.status(), detail, extra);
  }

  /** The problem for an HTTP status that Vert.x Web itself decided (404, 405, 413, ...). */
  public static ErrorCode forStatus(int status) {
    return ProblemJson.forStatus(status);
  }
}
