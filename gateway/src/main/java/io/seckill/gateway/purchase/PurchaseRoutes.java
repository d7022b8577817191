package io.seckill.gateway.purchase;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.contracts.SaleDefinition;
import io.seckill.contracts.http.PathParams;
import io.seckill.gateway.auth.Caller;
import io.seckill.gateway.botdefense.PurchaseTickets;
import io.seckill.gateway.http.Answer;
import io.seckill.gateway.metrics.GatewayMetrics;
import io.seckill.gateway.ratelimit.Admission;
import io.seckill.gateway.ratelimit.AdmissionLimits;
import io.seckill.gateway.ratelimit.ClientAddress;
import io.seckill.gateway.sale.KeyedReplays;
import io.seckill.gateway.sale.SaleAdmissions;
import io.seckill.gateway.sale.SaleCatalog;
import io.seckill.gateway.sale.SoldOutFlags;
import io.seckill.gateway.upstream.InternalService;
import io.seckill.gateway.upstream.Reply;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * {@code POST /api/sales/:id/purchase}. Every "no" that can be decided locally is decided before
 * stock-service is asked, cheapest check first: the body, the sale catalog, the sale window, the
 * sold-out flag, then the rate limits (whose tokens are only spent on requests that could buy).
 *
 * <p>A sale with bot defence also needs a purchase ticket. Its checks sit after every "no" that
 * needs no ticket (window, quantity, sold out), so that answer costs what it did before: a missing
 * ticket header right there (free), the HMAC after the caller's own limits (per user, per
 * address) and before the sale's shared budget, so a flood without valid tickets never spends
 * the tokens that honest buyers need.
 */
public final class PurchaseRoutes {

  private final SaleCatalog catalog;
  private final SoldOutFlags soldOut;
  private final AdmissionLimits limits;
  private final ClientAddress clientAddress;
  private final InternalService stockService;
  private final GatewayMetrics metrics;
  private final SaleAdmissions admissions;
  /**
   * Purchases waiting on stock-service right now. Past {@link #maxInFlight} a purchase is turned
   * away at once instead of queueing for a connection: when stock-service is slower than the token
   * buckets assume, the crowd gets a fast 429, not a 503 after a timeout.
   */
  private final AtomicInteger inFlight = new AtomicInteger();
  private final int maxInFlight;
  /** This gateway's copy of stock-service's keyed reservations: the answers owed to retries. */
  private final KeyedReplays keyed;
  private final PurchaseTickets tickets;

  public PurchaseRoutes(SaleCatalog catalog, SoldOutFlags soldOut, AdmissionLimits limits,
                        ClientAddress clientAddress, InternalService stockService, GatewayMetrics metrics,
                        SaleAdmissions admissions, int maxInFlight, PurchaseTickets tickets) {
    this.tickets = tickets;
    this.maxInFlight = maxInFlight;
    this.keyed = new KeyedReplays(stockService);
    this.catalog = catalog;
    this.soldOut = soldOut;
    this.limits = limits;
    this.clientAddress = clientAddress;
    this.stockService = stockService;
    this.metrics = metrics;
    this.admissions = admissions;
  }

  /** Forgets the replay answers of every sale that is {@code over} (see {@link KeyedReplays#forget}). */
  public void forgetReplays(Predicate<String> over) {
    keyed.forget(over);
  }

  /**
   * The one "no" given before the caller is known: an un-keyed purchase of one unit or more (within
   * the per-user limit) of a sale that this gateway holds in its catalog, that is open and that is
   * flagged sold out is answered 409 SOLD_OUT without verifying its token. Whoever sends it, such a
   * request can change nothing, and verifying each new buyer's JWT was the largest part of the
   * sold-out answer's cost for a crowd of distinct users (issue 14's soldOutCrowd). Everything else
   * is verified first, as before: a keyed purchase (it may be a retry owed its 202), a purchase of a
   * sale that is not flagged or not in the catalog, a bad body, and every other route.
   */
  public void soldOutBeforeIdentity(RoutingContext ctx) {
    if (ctx.request().getHeader("Idempotency-Key") == null) {
      String saleId = ctx.pathParam("id");
      SaleDefinition sale = saleId == null ? null : catalog.get(saleId);
      if (sale != null && soldOut.isSoldOut(sale.id()) && isOpen(sale, Instant.now()) && withinLimit(ctx, sale)) {
        rejectSoldOut(ctx, sale);
        return;
      }
    }
    ctx.next();
  }

  private static boolean isOpen(SaleDefinition sale, Instant now) {
    return !now.isBefore(sale.startsAt()) && now.isBefore(sale.endsAt());
  }

  private static boolean withinLimit(RoutingContext ctx, SaleDefinition sale) {
    try {
      return PurchaseRequest.quantity(ctx.body().buffer()) <= sale.perUserLimit();
    } catch (IllegalArgumentException badBody) {
      return false; // answered after the token, as every bad body is
    }
  }

  public void purchase(RoutingContext ctx) {
    Caller caller = ctx.get(Caller.class.getName());
    String saleId = PathParams.checked(ctx, "id", Ids::isSaleId, PathParams.SALE_ID_RULE,
        (c, code, detail) -> reject(c, "bad_request", code, detail));
    if (saleId == null) {
      return;
    }
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null && !Ids.isIdempotencyKey(key)) {
      reject(ctx, "bad_request", ErrorCode.BAD_REQUEST, "Idempotency-Key must be 1-128 printable ASCII characters without spaces");
      return;
    }
    int quantity;
    try {
      quantity = PurchaseRequest.quantity(ctx.body().buffer());
    } catch (IllegalArgumentException e) {
      reject(ctx, "bad_request", ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    SaleDefinition sale = catalog.get(saleId);
    if (sale != null) {
      admit(ctx, caller, sale, quantity, key);
      return;
    }
    catalog.find(saleId).onComplete(ar -> {
      if (ar.succeeded() && ar.result() != null) {
        admit(ctx, caller, ar.result(), quantity, key);
      } else {
        reject(ctx, "unknown_sale", ErrorCode.SALE_NOT_FOUND, "no sale '" + saleId + "'");
      }
    });
  }

  private void admit(RoutingContext ctx, Caller caller, SaleDefinition sale, int quantity, String key) {
    if (quantity > sale.perUserLimit()) {
      reject(ctx, "bad_request", ErrorCode.BAD_REQUEST,
          "'quantity' must be at most the per-user limit " + sale.perUserLimit());
      return;
    }
    Instant now = Instant.now();
    if (now.isBefore(sale.startsAt())) {
      reject(ctx, "not_started", ErrorCode.SALE_NOT_STARTED, "sale starts at " + sale.startsAt());
      return;
    }
    if (!now.isBefore(sale.endsAt())) {
      reject(ctx, "ended", ErrorCode.SALE_ENDED, "sale ended at " + sale.endsAt());
      return;
    }
    // A retry of a keyed purchase gets its reservation back before any limit is asked: it costs
    // nothing downstream, and a client retrying after a lost answer must not be told SOLD_OUT or
    // RATE_LIMITED for a unit it holds.
    JsonObject replay = key == null ? null : keyed.answer(sale.id(), caller.userId(), key);
    if (replay != null) {
      metrics.replayed();
      Answer.json(ctx, 202, replay);
      return;
    }
    if (soldOut.isSoldOut(sale.id())) {
      if (key == null) {
        rejectSoldOut(ctx, sale);
        return;
      }
      // A keyed purchase of a flagged sale waits for the sale's keyed reservations (one fetch per
      // flag, shared by every purchase): then it is a replay (another replica admitted it) or a new
      // purchase, refused SOLD_OUT. Only if the list cannot be had does stock-service decide.
      keyed.loaded(sale.id()).onComplete(loaded -> {
        JsonObject first = loaded.succeeded() ? keyed.answer(sale.id(), caller.userId(), key) : null;
        if (first != null) {
          metrics.replayed();
          Answer.json(ctx, 202, first);
        } else if (loaded.succeeded()) {
          rejectSoldOut(ctx, sale);
        } else {
          reserve(ctx, caller, sale, quantity, key);
        }
      });
      return;
    }
    reserve(ctx, caller, sale, quantity, key);
  }

  /** The ticket if needed, the rate limits, the in-flight cap, then stock-service. */
  private void reserve(RoutingContext ctx, Caller caller, SaleDefinition sale, int quantity, String key) {
    boolean defended = sale.botDefense().isOn();
    String ticket = defended ? ctx.request().getHeader(PurchaseTickets.HEADER) : null;
    if (defended && ticket == null) {
      reject(ctx, "ticket_required", ErrorCode.TICKET_REQUIRED, "sale '" + sale.id() + "' needs a purchase ticket in the "
          + PurchaseTickets.HEADER + " header: POST /api/sales/" + sale.id() + "/challenge, solve it, then /ticket");
      return;
    }
    Admission admission = limits.tryAdmitCaller(caller.userId(), clientAddress.of(ctx.request()));
    if (admission.isAdmitted() && defended) {
      PurchaseTickets.Check check = tickets.check(ticket, sale.id(), caller.userId());
      if (check != PurchaseTickets.Check.VALID) {
        reject(ctx, "ticket_invalid", ErrorCode.TICKET_INVALID, check.detail());
        return;
      }
    }
    if (admission.isAdmitted()) {
      admission = limits.tryAdmitSale(sale.id());
    }
    if (!admission.isAdmitted()) {
      ctx.response().putHeader("Retry-After", Long.toString(admission.retryAfterSeconds()));
      reject(ctx, "rate_" + admission.rejectedBy(), ErrorCode.RATE_LIMITED,
          "too many purchases (" + admission.rejectedBy() + " limit); retry after "
              + admission.retryAfterSeconds() + " s");
      return;
    }
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      ctx.response().putHeader("Retry-After", "1");
      reject(ctx, "overload", ErrorCode.RATE_LIMITED, "too many purchases in progress; retry after 1 s");
      return;
    }
    metrics.admitted();
    admissions.admitted(sale.id());
    JsonObject body = new JsonObject().put("userId", caller.userId()).put("quantity", quantity);
    if (key != null) {
      body.put("idempotencyKey", key);
    }
    stockService.post("/internal/sales/" + sale.id() + "/reservations", body)
        .onComplete(ar -> inFlight.decrementAndGet())
        .onSuccess(reply -> answer(ctx, sale.id(), caller.userId(), key, reply))
        .onFailure(ctx::fail);
  }

  private void answer(RoutingContext ctx, String saleId, String userId, String key, Reply reply) {
    JsonObject json = reply.json();
    if (reply.status() == 201 || reply.status() == 200) {
      JsonObject accepted = KeyedReplays.reservedAnswer(json);
      if (key != null) {
        keyed.remember(saleId, userId, key, accepted);
      }
      Answer.json(ctx, 202, accepted);
      return;
    }
    ErrorCode code = Answer.codeOf(json, ErrorCode.BAD_REQUEST);
    if (code == ErrorCode.SOLD_OUT && json.getValue("available") instanceof Number n && n.longValue() == 0) {
      // a fresh flag needs a fresh list: other replicas may have admitted keyed purchases
      if (soldOut.raise(saleId)) {
        keyed.refresh(saleId);
      }
    }
    String detail = json.getString("detail", code.title());
    Answer.problem(ctx, reply.status() >= 400 && reply.status() < 500 ? reply.status() : 400, code, detail);
  }

  /** The sold-out answer, the same wherever the gateway gives it. */
  private void rejectSoldOut(RoutingContext ctx, SaleDefinition sale) {
    reject(ctx, "sold_out", ErrorCode.SOLD_OUT, "sale '" + sale.id() + "' is sold out");
  }

  private void reject(RoutingContext ctx, String reason, ErrorCode code, String detail) {
    metrics.rejected(reason);
    Answer.problem(ctx, code, detail);
  }
}
