package io.seckill.gateway.deadletter;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.http.PathParams;
import io.seckill.gateway.http.Answer;
import io.seckill.gateway.upstream.InternalService;
import io.seckill.gateway.upstream.Reply;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Pattern;

/**
 * {@code GET /admin/dead-letters} and {@code POST /admin/dead-letters/:id/replay}: the messages
 * that could never succeed, as order-worker records them, and their replay once the cause is
 * fixed (a sale restored, a bug deployed). The caller holds the admin role.
 */
public final class DeadLetterRoutes {

  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

  private final InternalService orderWorker;

  public DeadLetterRoutes(InternalService orderWorker) {
    this.orderWorker = orderWorker;
  }

  public void list(RoutingContext ctx) {
    String limit = ctx.request().getParam("limit", "50");
    String after = ctx.request().getParam("after", "0");
    if (!NUMBER.matcher(limit).matches() || !NUMBER.matcher(after).matches()) {
      Answer.problem(ctx, ErrorCode.BAD_REQUEST, "'limit' and 'after' must be whole numbers");
      return;
    }
    orderWorker.get("/internal/dead-letters?limit=" + limit + "&after=" + after)
        .onSuccess(reply -> relay(ctx, reply))
        .onFailure(ctx::fail);
  }

  public void replay(RoutingContext ctx) {
    String id = PathParams.checked(ctx, "id", NUMBER.asMatchPredicate(), "a dead-letter id is a whole number",
        Answer::problem);
    if (id == null) {
      return;
    }
    orderWorker.post("/internal/dead-letters/" + id + "/replay", null)
        .onSuccess(reply -> relay(ctx, reply))
        .onFailure(ctx::fail);
  }

  private static void relay(RoutingContext ctx, Reply reply) {
    if (reply.status() == 200) {
      Answer.json(ctx, 200, reply.json());
      return;
    }
    ErrorCode code = Answer.codeOf(reply.json(), ErrorCode.BAD_REQUEST);
    Answer.problem(ctx, reply.status(), code, reply.json().getString("detail", code.title()));
  }
}
