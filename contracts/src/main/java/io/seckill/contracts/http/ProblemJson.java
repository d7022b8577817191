package io.seckill.contracts.http;

import io.seckill.contracts.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The one writer of {@code application/problem+json} answers, public and internal:
 * {@code {"type","title","status","detail","code"}} with {@code code} from {@link ErrorCode}.
 */
public final class ProblemJson {

  public static final String CONTENT_TYPE = "application/problem+json";

  private ProblemJson() {
  }

  /** The body of a problem; {@code extra} fields (may be null) are added beside the standard ones. */
  public static JsonObject body(ErrorCode code, int status, String detail, JsonObject extra) {
    JsonObject body = new JsonObject()
        .put("type", code.type())
        .put("title", code.title())
        .put("status", status)
        .put("detail", detail)
        .put("code", code.name());
    if (extra != null) {
      body.mergeIn(extra);
    }
    return body;
  }

  /**
   * Ends {@code response} with the problem, at {@code status} (the code's own status unless an
   * upstream's status is passed through). Does nothing if the answer has already started.
   */
  public static Future<Void> send(HttpServerResponse response, ErrorCode code, int status, String detail,
                                  JsonObject extra) {
    if (response.ended() || response.headWritten()) {
      return Future.succeededFuture();
    }
    return response.setStatusCode(status)
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(body(code, status, detail, extra).toBuffer());
  }

  public static Future<Void> send(HttpServerResponse response, ErrorCode code, String detail) {
    return send(response, code, code.status(), detail, null);
  }

  /** The problem for an HTTP status that Vert.x Web itself decided (404, 405, 413, ...). */
  public static ErrorCode forStatus(int status) {
    return switch (status) {
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      case 503 -> ErrorCode.UNAVAILABLE;
      default -> status >= 400 && status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_ERROR;
    };
  }
}
