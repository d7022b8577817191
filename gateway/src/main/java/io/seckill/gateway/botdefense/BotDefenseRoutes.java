package io.seckill.gateway.botdefense;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.contracts.SaleDefinition;
import io.seckill.contracts.http.PathParams;
import io.seckill.gateway.auth.Caller;
import io.seckill.gateway.http.Answer;
import io.seckill.gateway.http.JsonBody;
import io.seckill.gateway.metrics.GatewayMetrics;
import io.seckill.gateway.ratelimit.Admission;
import io.seckill.gateway.ratelimit.AdmissionLimits;
import io.seckill.gateway.ratelimit.ClientAddress;
import io.seckill.gateway.sale.SaleCatalog;
import io.seckill.gateway.sale.SoldOutFlags;
import io.seckill.gateway.upstream.InternalService;
import io.seckill.gateway.upstream.Reply;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.altcha.altcha.Altcha;

import java.time.Clock;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * {@code POST /api/sales/:id/challenge} and {@code POST /api/sales/:id/ticket}: a buyer of a sale
 * with proof-of-work defence asks for a challenge (only from {@code startsAt} on, so nothing can be
 * solved in advance), solves it, and trades the solution for a purchase ticket. A solution is
 * traded once: stock-service keeps the mark in Redis, so every gateway replica sees it. Both routes
 * spend the caller's own buckets (per user, per address), kept apart from the purchase's, before
 * any hashing or Redis work: one account cannot flood them, and solving never costs a buyer a
 * purchase attempt.
 */
public final class BotDefenseRoutes {

  private final SaleCatalog catalog;
  private final SoldOutFlags soldOut;
  private final PowChallenges challenges;
  private final PurchaseTickets tickets;
  private final AdmissionLimits limits;
  private final ClientAddress clientAddress;
  private final InternalService stockService;
  private final GatewayMetrics metrics;
  private final Clock clock;

  public BotDefenseRoutes(SaleCatalog catalog, SoldOutFlags soldOut, PowChallenges challenges,
                          PurchaseTickets tickets, AdmissionLimits limits, ClientAddress clientAddress,
                          InternalService stockService, GatewayMetrics metrics, Clock clock) {
    this.catalog = catalog;
    this.soldOut = soldOut;
    this.challenges = challenges;
    this.tickets = tickets;
    this.limits = limits;
    this.clientAddress = clientAddress;
    this.stockService = stockService;
    this.metrics = metrics;
    this.clock = clock;
  }

  public void challenge(RoutingContext ctx) {
    Caller caller = ctx.get(Caller.class.getName());
    withDefendedSale(ctx, (sale, now) -> {
      if (soldOut.isSoldOut(sale.id())) {
        // no CPU of the buyer's for a sale with nothing left
        Answer.problem(ctx, ErrorCode.SOLD_OUT, "sale '" + sale.id() + "' is sold out");
        return;
      }
      if (!admitted(ctx, caller)) {
        return;
      }
      metrics.botDefense("challenge_issued");
      Answer.json(ctx, 200, challenges.create(sale.id(), caller.userId(), sale.botDefense().difficulty()));
    });
  }

  public void ticket(RoutingContext ctx) {
    Caller caller = ctx.get(Caller.class.getName());
    Altcha.Payload payload;
    try {
      payload = PowChallenges.parse(JsonBody.object(ctx.body().buffer(), "the solved challenge, a JSON object"));
    } catch (IllegalArgumentException e) {
      Answer.problem(ctx, ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    withDefendedSale(ctx, (sale, now) -> {
      if (!admitted(ctx, caller)) {
        return;
      }
      PowChallenges.Verdict verdict = challenges.verify(payload, sale.id(), caller.userId());
      if (!verdict.accepted()) {
        metrics.botDefense("solution_invalid");
        Answer.problem(ctx, ErrorCode.SOLUTION_INVALID, verdict.refusal());
        return;
      }
      JsonObject mark = new JsonObject().put("challenge", payload.challenge).put("ttlSeconds", verdict.secondsLeft());
      stockService.post("/internal/sales/" + sale.id() + "/solutions", mark)
          .onSuccess(reply -> answerTicket(ctx, sale, caller, reply))
          .onFailure(ctx::fail);
    });
  }

  private void answerTicket(RoutingContext ctx, SaleDefinition sale, Caller caller, Reply reply) {
    if (reply.status() == 201) {
      metrics.botDefense("ticket_issued");
      PurchaseTickets.Issued issued = tickets.issue(sale.id(), caller.userId());
      Answer.json(ctx, 200, new JsonObject().put("ticket", issued.ticket()).put("expiresAt", issued.expiresAt().toString()));
    } else if (Answer.codeOf(reply.json(), ErrorCode.BAD_REQUEST) == ErrorCode.SOLUTION_USED) {
      metrics.botDefense("solution_used");
      Answer.problem(ctx, ErrorCode.SOLUTION_USED, "this solution was already traded for a ticket; solve a new challenge");
    } else {
      ErrorCode code = Answer.codeOf(reply.json(), ErrorCode.BAD_REQUEST);
      Answer.problem(ctx, reply.status(), code, reply.json().getString("detail", code.title()));
    }
  }

  /** Takes a token from the caller's bot-defence buckets, or answers 429 with Retry-After. */
  private boolean admitted(RoutingContext ctx, Caller caller) {
    Admission admission = limits.tryAdmitCaller(caller.userId(), clientAddress.of(ctx.request()));
    if (admission.isAdmitted()) {
      return true;
    }
    metrics.botDefense("rate_" + admission.rejectedBy());
    ctx.response().putHeader("Retry-After", Long.toString(admission.retryAfterSeconds()));
    Answer.problem(ctx, ErrorCode.RATE_LIMITED, "too many challenges and tickets (" + admission.rejectedBy()
        + " limit); retry after " + admission.retryAfterSeconds() + " s");
    return false;
  }

  /** The sale if it exists, has proof-of-work defence and is within its window; else the answer why not. */
  private void withDefendedSale(RoutingContext ctx, BiConsumer<SaleDefinition, Instant> then) {
    String saleId = PathParams.checked(ctx, "id", Ids::isSaleId, PathParams.SALE_ID_RULE, Answer::problem);
    if (saleId == null) {
      return;
    }
    catalog.find(saleId).onComplete(ar -> {
      SaleDefinition sale = ar.succeeded() ? ar.result() : null;
      Instant now = clock.instant();
      if (sale == null) {
        Answer.problem(ctx, ErrorCode.SALE_NOT_FOUND, "no sale '" + saleId + "'");
      } else if (!sale.botDefense().isOn()) {
        Answer.problem(ctx, ErrorCode.NO_BOT_DEFENSE, "sale '" + saleId + "' needs no ticket: buy directly");
      } else if (now.isBefore(sale.startsAt())) {
        Answer.problem(ctx, ErrorCode.SALE_NOT_STARTED, "sale starts at " + sale.startsAt()
            + "; challenges are served from then on");
      } else if (!now.isBefore(sale.endsAt())) {
        Answer.problem(ctx, ErrorCode.SALE_ENDED, "sale ended at " + sale.endsAt());
      } else {
        then.accept(sale, now);
      }
    });
  }
}
