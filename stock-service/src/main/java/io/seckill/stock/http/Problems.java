package io.seckill.stock.http;

import io.seckill.contracts.ErrorCode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes {@code application/problem+json} answers. */
public final class Problems {

  private Problems() {
  }

  public static void send(RoutingContext ctx, ErrorCode code, String detail) {
    send(ctx, code, detail, null);
  }

  /** {@code extra} fields (may be null) are added beside the standard ones. */
  public static void send(RoutingContext ctx, ErrorCode code, String detail, JsonObject extra) {
    JsonObject body = new JsonObject()
        .put("type", code.type())
        .put("title", code.title())
        .put("status", code.status())
        .put("detail", detail)
        .put("code", code.name());
    if (extra != null) {
      body.mergeIn(extra);
    }
    ctx.response()
        .setStatusCode(code.status())
        .putHeader("Content-Type", "application/problem+json")
        .end(body.toBuffer());
  }

  /** The problem for an HTTP status that Vert.x Web itself decided (404, 405, 413, ...). */
  public static ErrorCode forStatus(int status) {
    return switch (status) {
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      case 503 -> ErrorCode.UNAVAILABLE;
      default -> status >= 400 && status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_ERROR;
    };
  }
}
