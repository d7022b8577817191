package io.seckill.contracts.http;

import io.seckill.contracts.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Guards a service's internal routes: the request must carry one known caller's
 * {@link ServiceCredential}, and that caller must be allowed the route. No credential or a wrong
 * one is 401, a known caller on a route it is not allowed is 403; both before any body is read
 * or any state is touched. Every known secret is compared (in constant time), so the answer time
 * does not tell which caller, if any, came close.
 */
public final class InternalAuth implements Handler<RoutingContext> {

  /** Routing-context key of the authenticated caller's name. */
  public static final String CALLER = "seckill.caller";
  private static final String BEARER = "Bearer ";

  private record Grant(ServiceCredential credential, Predicate<RoutingContext> allowed) {
  }

  private final List<Grant> grants = new ArrayList<>();

  /** Allows {@code credential}'s caller every route this handler guards. */
  public InternalAuth allow(ServiceCredential credential) {
    return allow(credential, ctx -> true);
  }

  /**
   * Allows {@code credential}'s caller the requests {@code allowed} accepts (others are 403);
   * {@code allowed} should match on {@link RoutingContext#normalizedPath()}, the path the router routes by.
   */
  public InternalAuth allow(ServiceCredential credential, Predicate<RoutingContext> allowed) {
    grants.add(new Grant(credential, allowed));
    return this;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String presented = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        ? header.substring(BEARER.length()).strip() : null;
    Grant match = null;
    if (presented != null) {
      for (Grant grant : grants) {
        // no early exit: every secret is compared whatever matched before
        if (grant.credential().matches(presented) && match == null) {
          match = grant;
        }
      }
    }
    if (match == null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"seckill-internal\"");
      ProblemJson.send(ctx.response(), ErrorCode.UNAUTHORIZED,
          presented == null ? "internal routes need a service credential (Authorization: Bearer …)"
              : "unknown service credential");
      return;
    }
    if (!match.allowed().test(ctx)) {
      ProblemJson.send(ctx.response(), ErrorCode.FORBIDDEN,
          match.credential().caller() + " may not call " + ctx.request().method() + " " + ctx.request().path());
      return;
    }
    ctx.put(CALLER, match.credential().caller());
    ctx.next();
  }
}
