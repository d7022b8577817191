package io.seckill.load.faults;

import com.fasterxml.jackson.databind.node.MissingNode;
import io.seckill.load.GatewayClient;
import io.seckill.load.GatewayClient.Answer;
import io.seckill.load.RunLedger;
import io.seckill.load.Sale;
import io.seckill.load.Tokens;
import io.seckill.testkit.Poll;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The generator: a steady stream of buyers on one sale, bounded in rate, count and time, all on
 * 127.0.0.1. Each buyer is a user of its own and buys one unit. Half of them pay once their order
 * is persisted; the others leave it to be cancelled when the payment window ends. A share of them
 * send an {@code Idempotency-Key} and, after a 5xx or no answer, retry the same key with capped,
 * jittered backoff, as a careful client does; every fifth keyed buyer that got a 202 repeats its
 * request once and must get the same order back. What the clients were told goes to a
 * {@link RunLedger}, which the checker compares with what the engine stored.
 */
final class PurchaseLoad {

  /**
   * Buyers per second, at most how many in all, the share that sends a key, and how long after
   * the load stops a keyed buyer still retries (the load stops a while after the broken part runs
   * again, however long that took).
   */
  record Shape(int perSecond, int maxBuyers, double keyedShare, Duration retryAfterStop) {
  }

  private record Buyer(int n, String user, String token, String key, boolean pays) {
    Map<String, String> headers() {
      return key == null ? Map.of() : Map.of("Idempotency-Key", key);
    }

    boolean repeats() {
      return key != null && n % 5 == 0;
    }
  }

  /** More buyers than this at once (all waiting on a dead part) and new arrivals are turned away, and counted. */
  private static final int MAX_ACTIVE_BUYERS = 600;
  private static final String ONE_UNIT = "{\"quantity\":1}";
  private static final Answer NO_ANSWER = new Answer(0, MissingNode.getInstance(), null, 0);

  private final GatewayClient gateway;
  private final Tokens tokens;
  private final Sale sale;
  private final Shape shape;
  private final RunLedger ledger = new RunLedger();
  private final ScheduledExecutorService arrivals = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "faults-arrivals");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicInteger nextBuyer = new AtomicInteger();
  private final AtomicInteger activeBuyers = new AtomicInteger();
  private final AtomicInteger purchasesInFlight = new AtomicInteger();
  private final LongAdder purchases = new LongAdder();
  private final LongAdder turnedAway = new LongAdder();
  private final LongAdder keyedRetries = new LongAdder();
  private final LongAdder unkeyedUnanswered = new LongAdder();
  private final LongAdder repeatsSameOrder = new LongAdder();
  private final Set<String> admittedUsers = ConcurrentHashMap.newKeySet();
  /** Buyers whose last purchase attempt got a 5xx or no answer: what happened is unknown to them. */
  private final Set<String> leftUnanswered = ConcurrentHashMap.newKeySet();
  private final Set<String> keyedUnresolved = ConcurrentHashMap.newKeySet();
  private final Queue<String> idempotencyViolations = new ConcurrentLinkedQueue<>();
  private final Queue<String> clientErrors = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Instant> latestExpiry = new AtomicReference<>(Instant.EPOCH);
  private volatile boolean stopped;
  private volatile Instant retryUntil = Instant.MAX;

  PurchaseLoad(GatewayClient gateway, Tokens tokens, Sale sale, Shape shape) {
    this.gateway = gateway;
    this.tokens = tokens;
    this.sale = sale;
    this.shape = shape;
  }

  /** Buyers start arriving at the steady rate. */
  void start() {
    arrivals.scheduleAtFixedRate(this::arrive, 0, 1_000_000L / shape.perSecond(), TimeUnit.MICROSECONDS);
  }

  /** {@code buyers} more arrive at once; returns once a good part of them are waiting for their answer. */
  void burst(int buyers, Timeline timeline) {
    for (int i = 0; i < buyers; i++) {
      arrivals.execute(this::arrive);
    }
    Integer inFlight = Poll.until(Duration.ofSeconds(10), purchasesInFlight::get, n -> n >= Math.max(1, buyers / 4));
    timeline.event("burst of " + buyers + " buyers: " + inFlight + " purchases in flight");
  }

  /** No new buyer arrives; those under way finish their purchase, payment or retries. */
  void stop() {
    if (!stopped) {
      stopped = true;
      retryUntil = Instant.now().plus(shape.retryAfterStop());
    }
    arrivals.shutdown();
  }

  /** Waits until every buyer is done; false when some are still busy at the deadline. */
  boolean awaitIdle(Duration deadline) {
    return Poll.until(deadline, activeBuyers::get, n -> n == 0) == 0;
  }

  int inFlight() {
    return purchasesInFlight.get();
  }

  RunLedger ledger() {
    return ledger;
  }

  /** Purchase requests sent, retries and repeats included. */
  long purchases() {
    return purchases.sum();
  }

  /**
   * Buyers whose last attempt got a 5xx or no answer (without a key they do not retry; with one
   * they ran out of retries): they may hold an order they never heard of. A keyed buyer whose retry
   * got a definite answer is not among them: that answer must be the truth.
   */
  Set<String> unknownOutcomeUsers() {
    Set<String> users = new HashSet<>(leftUnanswered);
    users.removeAll(admittedUsers);
    return users;
  }

  /** Keyed buyers still without a definite answer when they stopped retrying. */
  Set<String> keyedUnresolved() {
    return Set.copyOf(keyedUnresolved);
  }

  long keyedRetries() {
    return keyedRetries.sum();
  }

  long unkeyedUnanswered() {
    return unkeyedUnanswered.sum();
  }

  long turnedAway() {
    return turnedAway.sum();
  }

  long repeatsSameOrder() {
    return repeatsSameOrder.sum();
  }

  List<String> idempotencyViolations() {
    return List.copyOf(idempotencyViolations);
  }

  /** Failures of the generator itself (a bug here, not in the engine). */
  List<String> clientErrors() {
    return List.copyOf(clientErrors);
  }

  /** The end of the latest payment window handed out. */
  Instant latestExpiry() {
    return latestExpiry.get();
  }

  private void arrive() {
    if (stopped) {
      return;
    }
    int n = nextBuyer.getAndIncrement();
    if (n >= shape.maxBuyers()) {
      return;
    }
    if (activeBuyers.get() >= MAX_ACTIVE_BUYERS) {
      turnedAway.increment();
      return;
    }
    activeBuyers.incrementAndGet();
    String user = "buyer-" + n;
    boolean keyed = n % 10 < Math.round(shape.keyedShare() * 10);
    Buyer buyer = new Buyer(n, user, tokens.user(user), keyed ? sale.id() + "-key-" + n : null,
        (n / 10 + n) % 2 == 0);
    purchase(buyer, 1).whenComplete((done, error) -> {
      if (error != null) {
        clientErrors.add(user + ": " + error);
      }
      activeBuyers.decrementAndGet();
    });
  }

  private CompletableFuture<Void> purchase(Buyer buyer, int attempt) {
    return send(() -> gateway.postAsync(sale.purchasePath(), buyer.token(), ONE_UNIT, buyer.headers()), true)
        .thenCompose(answer -> {
          String orderId = answer.text("orderId");
          ledger.purchase("buyer", buyer.user(), answer.status(), orderId, answer.code(), answer.millis());
          if (answer.status() == 202 && orderId != null) {
            admittedUsers.add(buyer.user());
            Instant expiresAt = instant(answer.text("expiresAt"));
            latestExpiry.accumulateAndGet(expiresAt, (a, b) -> a.isAfter(b) ? a : b);
            return repeat(buyer, orderId).thenCompose(v -> buyer.pays() ? pay(buyer, orderId, expiresAt) : done());
          }
          if (!unanswered(answer)) {
            return done();
          }
          if (buyer.key() == null) {
            unkeyedUnanswered.increment();
            leftUnanswered.add(buyer.user());
            return done();
          }
          if (Instant.now().isBefore(retryUntil)) {
            keyedRetries.increment();
            return after(backoff(attempt), () -> purchase(buyer, attempt + 1));
          }
          keyedUnresolved.add(buyer.user());
          leftUnanswered.add(buyer.user());
          return done();
        });
  }

  /** The same key again: the same order must come back, never a second one. */
  private CompletableFuture<Void> repeat(Buyer buyer, String orderId) {
    if (!buyer.repeats()) {
      return done();
    }
    return send(() -> gateway.postAsync(sale.purchasePath(), buyer.token(), ONE_UNIT, buyer.headers()), true)
        .thenAccept(answer -> {
          String again = answer.text("orderId");
          // recorded like any purchase: a second order, if the engine made one, must be accounted for
          ledger.purchase("repeat", buyer.user(), answer.status(), again, answer.code(), answer.millis());
          if (answer.status() == 202 && orderId.equals(again)) {
            repeatsSameOrder.increment();
          } else if (answer.status() == 202) {
            idempotencyViolations.add(buyer.user() + " repeated key " + buyer.key() + " and got a second order "
                + again + " besides " + orderId);
          }
        });
  }

  /** Waits until the order is persisted, then pays it; gives up when its payment window ends. */
  private CompletableFuture<Void> pay(Buyer buyer, String orderId, Instant windowEnd) {
    return awaitPersisted(buyer, orderId, windowEnd, 1)
        .thenCompose(status -> "AWAITING_PAYMENT".equals(status) ? payBefore(buyer, orderId, windowEnd) : done());
  }

  private CompletableFuture<String> awaitPersisted(Buyer buyer, String orderId, Instant windowEnd, int attempt) {
    return send(() -> gateway.getAsync("/api/orders/" + orderId, buyer.token()), false).thenCompose(answer -> {
      ledger.answer("order", answer.status(), answer.code());
      String status = answer.status() == 200 ? answer.text("status") : null;
      if (status != null && !"RESERVED".equals(status)) {
        return CompletableFuture.completedFuture(status);
      }
      if (Instant.now().isAfter(windowEnd)) {
        return CompletableFuture.completedFuture(null);
      }
      return after(Duration.ofMillis(Math.min(2_000, 250L << Math.min(attempt, 3))),
          () -> awaitPersisted(buyer, orderId, windowEnd, attempt + 1));
    });
  }

  private CompletableFuture<Void> payBefore(Buyer buyer, String orderId, Instant windowEnd) {
    return send(() -> gateway.postAsync("/api/orders/" + orderId + "/pay", buyer.token(), "", Map.of()), false)
        .thenCompose(answer -> {
          ledger.answer("pay", answer.status(), answer.code());
          if (answer.status() == 200 && "PAID".equals(answer.text("status"))) {
            ledger.paid(orderId);
            return done();
          }
          boolean again = "ORDER_NOT_READY".equals(answer.code()) || unanswered(answer);
          if (again && Instant.now().isBefore(windowEnd)) {
            return after(Duration.ofSeconds(1), () -> payBefore(buyer, orderId, windowEnd));
          }
          return done();
        });
  }

  private CompletableFuture<Answer> send(Supplier<CompletableFuture<Answer>> call, boolean purchase) {
    if (purchase) {
      purchases.increment();
      purchasesInFlight.incrementAndGet();
    }
    CompletableFuture<Answer> answer;
    try {
      answer = call.get();
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle((a, error) -> {
      if (purchase) {
        purchasesInFlight.decrementAndGet();
      }
      return error == null ? a : NO_ANSWER;
    });
  }

  /** A 5xx, or no HTTP answer at all (refused, reset, timed out): the client cannot know what happened. */
  private static boolean unanswered(Answer answer) {
    return answer.status() == 0 || answer.status() >= 500;
  }

  /** Capped exponential backoff with jitter: between half and all of 0.25 s, 0.5 s, 1 s … at most 5 s. */
  private static Duration backoff(int attempt) {
    long cap = Math.min(5_000, 250L << Math.min(attempt - 1, 5));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
  }

  private static <T> CompletableFuture<T> after(Duration delay, Supplier<CompletableFuture<T>> next) {
    Executor later = CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS);
    return CompletableFuture.runAsync(() -> { }, later).thenCompose(v -> next.get());
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  private static Instant instant(String text) {
    try {
      return text == null ? Instant.now() : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return Instant.now();
    }
  }
}
