package io.seckill.gateway.http;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.http.ProblemJson;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes the gateway's answers: problems (through the one {@link ProblemJson} writer) and plain JSON bodies.
 * The outcome {@code code} is also left on the routing context so the request metrics can count
 * answers by it.
 */
public final class Answer {

  /** Routing-context key of the outcome code of the answer ({@code OK} or an {@link ErrorCode} name). */
  public static final String OUTCOME = "seckill.outcome";
  public static final String OK = "OK";
  public static final String CONTENT_TYPE = ProblemJson.CONTENT_TYPE;

  private Answer() {
  }

  public static void problem(RoutingContext ctx, ErrorCode code, String detail) {
    problem(ctx, code.status(), code, detail);
  }

  /** For codes passed through from an internal service, which carry their own status. */
  public static void problem(RoutingContext ctx, int status, ErrorCode code, String detail) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      return;
    }
    ctx.put(OUTCOME, code.name());
    ProblemJson.send(ctx.response(), code, status, detail, null);
  }

  /** Answers {@code status} with a JSON body and records the outcome as {@link #OK}. */
  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.put(OUTCOME, OK);
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.toBuffer());
  }

  /** The {@link ErrorCode} an internal service named, or {@code fallback} if it named none we know. */
  public static ErrorCode codeOf(JsonObject problem, ErrorCode fallback) {
    String name = problem == null ? null : problem.getString("code");
    if (name == null) {
      return fallback;
    }
    try {
      return ErrorCode.valueOf(name);
    } catch (IllegalArgumentException unknown) {
      return fallback;
    }
  }
}
