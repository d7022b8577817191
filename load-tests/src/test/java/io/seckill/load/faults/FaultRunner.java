package io.seckill.load.faults;

import io.seckill.load.GatewayClient;
import io.seckill.load.GuaranteeCheck.Verdict;
import io.seckill.load.Sale;
import io.seckill.load.SaleSetup;
import io.seckill.load.Tokens;
import io.seckill.testkit.Poll;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs scenarios one after the other on one stack: a fresh sale, the load, the fault mid-load,
 * the operator's action if the fault needs one, more load after the part is back, then the check.
 * Whatever a scenario broke is put back before the next one, and on Ctrl-C by a shutdown hook.
 */
final class FaultRunner {

  /** How long keyed buyers still retry after the load stopped: a careful client's patience. */
  private static final Duration RETRY_AFTER_STOP = Duration.ofMinutes(2);
  /** Time the sale creation and the first arrivals take, before a sale that must end inside the fault. */
  private static final Duration SET_UP = Duration.ofSeconds(15);

  private final Stack stack;
  private final FaultSettings settings;
  private final Tokens tokens = Tokens.fromSettings();
  /** The buyers' client: a short timeout, so a client facing a hung part retries as a real one would. */
  private final GatewayClient buyers;
  private final GatewayClient admin;
  private final Hold hold = new Hold();
  private volatile Nemesis current;
  private volatile PurchaseLoad currentLoad;

  FaultRunner(Stack stack, FaultSettings settings) {
    this.stack = stack;
    this.settings = settings;
    this.buyers = new GatewayClient(stack.gatewayUrl(), Duration.ofSeconds(10));
    this.admin = new GatewayClient(stack.gatewayUrl());
  }

  List<ScenarioResult> run(List<Scenario> scenarios) {
    Thread onInterrupt = new Thread(this::interrupted, "faults-restore");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    List<ScenarioResult> results = new ArrayList<>();
    try {
      for (Scenario scenario : scenarios) {
        results.add(run(scenario));
        if (hold.isInterrupted()) {
          break;
        }
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running: it restores the stack
      }
    }
    return results;
  }

  private ScenarioResult run(Scenario scenario) {
    Timeline timeline = new Timeline(scenario.name());
    Nemesis nemesis = scenario.nemesis().get();
    current = nemesis;
    String saleId = null;
    PurchaseLoad load = null;
    try {
      timeline.event("fault: " + nemesis.describe());
      awaitGatewayReady();
      nemesis.prepare(stack, timeline);
      awaitGatewayReady();
      Sale sale = sale(scenario);
      saleId = sale.id();
      SaleSetup.create(admin, tokens, sale);
      load = new PurchaseLoad(buyers, tokens, sale, shape(scenario));
      currentLoad = load;
      load.start();
      Instant loadStart = Instant.now();
      timeline.event("load: " + settings.buyersPerSecond() + " buyers/s on sale " + sale.id() + " (stock " + sale.stock()
          + ", payment window " + sale.paymentWindow().toSeconds() + " s, " + Math.round(scenario.keyedShare() * 100)
          + "% with an Idempotency-Key)");

      hold.until(scenario.endsAfterStrike() == null ? loadStart.plus(settings.before())
          : sale.endsAt().minus(scenario.endsAfterStrike()));
      Nemesis.Window window = nemesis.strike(stack, hold, load, timeline);
      if (scenario.endsAfterStrike() != null) {
        timeline.event("the sale ended " + seconds(window.start(), sale.endsAt()) + " s after the fault began and "
            + seconds(sale.endsAt(), window.end()) + " s before it ended");
      }
      Optional<String> recovery = nemesis.recover(sale, admin, tokens.admin("faults-operator"), timeline);
      hold.until(window.back().plus(settings.after()));
      load.stop();
      timeline.event("load stopped: " + load.purchases() + " purchase requests, " + load.ledger().admitted().size()
          + " orders handed out; waiting for the buyers under way");
      if (!load.awaitIdle(RETRY_AFTER_STOP.plus(settings.paymentWindow()).plus(Duration.ofMinutes(1)))) {
        timeline.event("some buyers are still busy; checking what they were told so far");
      }

      // when the operator's recovery failed, the checks cannot pass: wait only until the last
      // window ended, so the numbers show what the failure cost
      Instant deadline = latest(load.latestExpiry(), window.end())
          .plus(recovery.isPresent() ? Duration.ofSeconds(15) : settings.grace());
      timeline.event("checking the guarantees (deadline " + seconds(Instant.now(), deadline) + " s from now)");
      FaultCheck.Outcome outcome = new FaultCheck(admin, tokens, stack.local()).await(sale, load, deadline);
      Double recoverySeconds = outcome.passed() ? seconds(window.end(), outcome.passedAt()) : null;
      for (Verdict v : outcome.verdicts()) {
        System.out.printf("  %-4s %-36s %s%n", v.held() ? "OK" : "FAIL", v.guarantee(), v.detail());
      }
      timeline.event(outcome.passed() ? "every check passed " + recoverySeconds + " s after the fault ended"
          : "a check failed");

      List<String> problems = new ArrayList<>();
      recovery.ifPresent(p -> problems.add("operator's recovery failed: " + p));
      outcome.verdicts().stream().filter(v -> !v.held()).forEach(v -> problems.add(v.guarantee() + ": " + v.detail()));
      int letters = outcome.deadLetters().values().stream().mapToInt(Integer::intValue).sum();
      return new ScenarioResult(scenario.name(), nemesis.describe(), sale.id(), load.purchases(),
          load.ledger().admitted().size(), outcome.orders(), outcome.lost(), outcome.oversold(), letters,
          recoverySeconds, outcome.passed() && recovery.isEmpty(), problems, outcome.verdicts(), outcome.deadLetters(),
          outcome.ordersByStatus(), load.ledger().answers(), timeline.events());
    } catch (Hold.Interrupted e) {
      return ScenarioResult.broken(scenario.name(), nemesis.describe(), saleId, load, "interrupted", timeline.events());
    } catch (RuntimeException | AssertionError e) {
      timeline.event("could not run: " + e.getMessage());
      return ScenarioResult.broken(scenario.name(), nemesis.describe(), saleId, load,
          "could not run: " + e.getMessage(), timeline.events());
    } finally {
      if (load != null) {
        load.stop();
      }
      currentLoad = null;
      restore(nemesis);
      current = null;
    }
  }

  /** A fresh sale; for a scenario that needs it, one that ends a stated time after the fault begins. */
  private Sale sale(Scenario scenario) {
    Sale sale = Sale.openNow("faults-" + scenario.name(), settings.stock(), 1, settings.paymentWindow());
    if (scenario.endsAfterStrike() == null) {
      return sale;
    }
    Instant endsAt = Instant.now().plus(SET_UP).plus(settings.before()).plus(scenario.endsAfterStrike())
        .truncatedTo(ChronoUnit.SECONDS);
    return new Sale(sale.id(), sale.item(), sale.stock(), sale.perUserLimit(), sale.startsAt(), endsAt,
        sale.paymentWindow(), sale.powDifficulty());
  }

  private PurchaseLoad.Shape shape(Scenario scenario) {
    Duration span = settings.before().plus(scenario.plannedFault()).plus(settings.after()).plus(SET_UP)
        .plus(Duration.ofMinutes(3));
    int maxBuyers = (int) (settings.buyersPerSecond() * span.toSeconds()) + 4 * settings.burst();
    return new PurchaseLoad.Shape(settings.buyersPerSecond(), maxBuyers, scenario.keyedShare(), RETRY_AFTER_STOP);
  }

  /** A restarted part may take the gateway's readiness with it for a moment. */
  private void awaitGatewayReady() {
    Poll.await(Duration.ofMinutes(3), "the gateway at " + stack.gatewayUrl() + " is ready",
        () -> admin.get("/health/ready", null).status() == 200);
  }

  private synchronized void restore(Nemesis nemesis) {
    try {
      nemesis.restore(stack);
    } catch (RuntimeException e) {
      System.out.println("[faults] could not restore after " + nemesis.describe() + ": " + e.getMessage());
    }
  }

  /** Ctrl-C: end the hold at once, stop the load, put back what the current fault broke, stop what the suite started. */
  private void interrupted() {
    System.out.println("[faults] interrupted: restoring the stack");
    hold.interrupt();
    PurchaseLoad load = currentLoad;
    if (load != null) {
      load.stop();
    }
    Nemesis nemesis = current;
    if (nemesis != null) {
      restore(nemesis);
    }
    stack.close();
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static double seconds(Instant from, Instant to) {
    return Math.round(Duration.between(from, to).toMillis() / 100.0) / 10.0;
  }
}
