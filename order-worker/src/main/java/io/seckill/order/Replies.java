package io.seckill.order;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.http.ProblemJson;
import io.seckill.contracts.http.PathParams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;
import java.util.function.Predicate;

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

  /** The path parameter {@code name} when {@code valid}; else null, answered 400 "malformed {@code what} id". */
  public static String pathId(RoutingContext ctx, String name, Predicate<String> valid, String what) {
    return PathParams.checked(ctx, name, valid, "malformed " + what + " id", Replies::problem);
  }

  /**
   * What a lookup found, as 200 JSON ({@code toJson} of it); {@code notFound} with {@code detail}
   * when it found nothing (null); the route's failure handler when the lookup failed.
   */
  public static <T> void found(RoutingContext ctx, Future<T> lookup, Function<T, ?> toJson, ErrorCode notFound,
                               String detail) {
    lookup
        .onSuccess(value -> {
          if (value == null) {
            problem(ctx, notFound, detail);
          } else {
            json(ctx, 200, toJson.apply(value));
          }
        })
        .onFailure(ctx::fail);
  }
}
