package io.seckill.order.deadletter;

import io.seckill.contracts.ErrorCode;
import io.seckill.order.MysqlWork;
import io.seckill.order.Replies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * {@code /internal/dead-letters}: the recorded dead letters, paged by id, and their replay. The
 * gateway's admin routes call these.
 */
public final class DeadLetterRoutes {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final MysqlWork mysql;
  private final DeadLetterLog deadLetters;
  private final DeadLetterReplays replays;
  private final Runnable replayed;

  /** {@code replayed} runs after each replay that published (to refresh the unreplayed gauge). */
  public DeadLetterRoutes(MysqlWork mysql, DeadLetterLog deadLetters, DeadLetterReplays replays, Runnable replayed) {
    this.mysql = mysql;
    this.deadLetters = deadLetters;
    this.replays = replays;
    this.replayed = replayed;
  }

  public void mount(Router router) {
    router.get("/internal/dead-letters").handler(this::list);
    router.post("/internal/dead-letters/:id/replay").handler(this::replay);
  }

  private void list(RoutingContext ctx) {
    Long limit = number(ctx.queryParam("limit"), DEFAULT_LIMIT);
    Long after = number(ctx.queryParam("after"), 0);
    if (limit == null || limit < 1 || limit > MAX_LIMIT) {
      Replies.problem(ctx, ErrorCode.BAD_REQUEST, "'limit' must be an integer from 1 to " + MAX_LIMIT);
      return;
    }
    if (after == null || after < 0) {
      Replies.problem(ctx, ErrorCode.BAD_REQUEST, "'after' must be a dead-letter id (an integer, 0 or more)");
      return;
    }
    int pageSize = limit.intValue();
    mysql.run(() -> deadLetters.page(after, pageSize))
        .onSuccess(rows -> Replies.json(ctx, 200, new JsonObject()
            .put("deadLetters", new JsonArray(rows.stream().map(DeadLetterRow::toJson).toList()))
            // a full page may have more behind it: ask again with after=next
            .put("next", rows.size() == pageSize ? rows.get(rows.size() - 1).id() : null)))
        .onFailure(ctx::fail);
  }

  private void replay(RoutingContext ctx) {
    Long id = number(List.of(ctx.pathParam("id")), -1);
    if (id == null || id < 1) {
      Replies.problem(ctx, ErrorCode.BAD_REQUEST, "malformed dead-letter id");
      return;
    }
    mysql.run(() -> replays.replay(id))
        .onSuccess(outcome -> {
          if (outcome instanceof ReplayOutcome.Replayed r) {
            replayed.run();
            Replies.json(ctx, 200, r.row().toJson().put("replayedNow", true));
          } else if (outcome instanceof ReplayOutcome.AlreadyReplayed r) {
            Replies.json(ctx, 200, r.row().toJson().put("replayedNow", false));
          } else if (outcome instanceof ReplayOutcome.NotReplayable r) {
            Replies.problem(ctx, ErrorCode.BAD_REQUEST,
                "dead letter " + id + " came from '" + r.row().sourceTopic() + "', not a topic this system consumes");
          } else {
            Replies.problem(ctx, ErrorCode.NOT_FOUND, "no dead letter " + id);
          }
        })
        .onFailure(e -> Replies.problem(ctx, ErrorCode.UNAVAILABLE,
            "dead letter " + id + " was not replayed; try again: " + e.getMessage()));
  }

  /** The first value as a long; {@code fallback} when absent; null when it is not a number. */
  private static Long number(List<String> values, long fallback) {
    if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(values.get(0));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
