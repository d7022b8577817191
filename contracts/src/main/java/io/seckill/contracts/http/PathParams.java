package io.seckill.contracts.http;

import io.seckill.contracts.ErrorCode;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Predicate;

/**
 * A route's path parameter checked in one place: the value when it is well-formed, or null once
 * the caller's own problem writer has answered 400 {@link ErrorCode#BAD_REQUEST}. Every service's
 * routes read their sale and order ids this way.
 */
public final class PathParams {

  /** The detail of a malformed sale id, as the public and the internal routes word it. */
  public static final String SALE_ID_RULE = "sale id must be 1-64 of A-Z a-z 0-9 - _";

  /** A service's writer of problem answers (each records or logs them its own way). */
  @FunctionalInterface
  public interface ProblemWriter {
    void send(RoutingContext ctx, ErrorCode code, String detail);
  }

  private PathParams() {
  }

  /**
   * The path parameter {@code name} when {@code valid} accepts it; otherwise null, after
   * {@code problems} answered BAD_REQUEST with {@code detail}. On null the caller just returns.
   */
  public static String checked(RoutingContext ctx, String name, Predicate<String> valid, String detail,
                               ProblemWriter problems) {
    String value = ctx.pathParam(name);
    if (!valid.test(value)) {
      problems.send(ctx, ErrorCode.BAD_REQUEST, detail);
      return null;
    }
    return value;
  }
}
