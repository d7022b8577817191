package io.seckill.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seckill.gateway.auth.TokenVerifier;
import io.seckill.gateway.botdefense.BotDefenseRoutes;
import io.seckill.gateway.botdefense.PowChallenges;
import io.seckill.gateway.botdefense.PurchaseTickets;
import io.seckill.gateway.deadletter.DeadLetterRoutes;
import io.seckill.gateway.health.HealthRoutes;
import io.seckill.gateway.http.ConnectionCap;
import io.seckill.gateway.metrics.GatewayMetrics;
import io.seckill.gateway.order.OrderRoutes;
import io.seckill.gateway.purchase.PurchaseRoutes;
import io.seckill.gateway.ratelimit.AdmissionLimits;
import io.seckill.gateway.ratelimit.ClientAddress;
import io.seckill.gateway.sale.AdminRoutes;
import io.seckill.gateway.sale.SaleAdmissions;
import io.seckill.gateway.sale.SaleCatalog;
import io.seckill.gateway.sale.SoldOutFlags;
import io.seckill.gateway.upstream.InternalService;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The parts every event loop's {@link GatewayVerticle} shares: one sale catalog, one set of
 * sold-out flags and one set of rate-limit buckets per process, so limits hold across event loops.
 */
public record Gateway(
    GatewayConfig config,
    PrometheusMeterRegistry registry,
    GatewayMetrics metrics,
    TokenVerifier tokens,
    SaleCatalog catalog,
    SoldOutFlags soldOut,
    SaleAdmissions admissions,
    InternalService stockService,
    InternalService orderWorker,
    PurchaseRoutes purchases,
    BotDefenseRoutes botDefense,
    OrderRoutes orders,
    AdminRoutes admin,
    DeadLetterRoutes deadLetters,
    HealthRoutes health,
    ConnectionCap connections,
    AtomicBoolean draining) {

  public static Gateway create(Vertx vertx, GatewayConfig config, PrometheusMeterRegistry registry) {
    GatewayMetrics metrics = new GatewayMetrics(registry);
    // One connection per purchase allowed in flight, so an admitted purchase never waits for a connection.
    InternalService stock = new InternalService(vertx, "stock-service", config.stockUrl(), config.credential(),
        config.stockMaxInFlight() + 8, 10_000);
    InternalService order = new InternalService(vertx, "order-worker", config.orderUrl(), config.credential(), 32,
        10_000);
    metrics.circuit(stock.name(), stock::circuitState);
    metrics.circuit(order.name(), order::circuitState);
    SaleCatalog catalog = new SaleCatalog(order);
    SoldOutFlags soldOut = new SoldOutFlags(stock, metrics);
    AdmissionLimits limits = new AdmissionLimits(config.ratePerUser(), config.ratePerIp(), config.ratePerSale(),
        config.rateLimitKeys());
    SaleAdmissions admissions = new SaleAdmissions();
    AtomicBoolean draining = new AtomicBoolean();
    Clock clock = Clock.systemUTC();
    PurchaseTickets tickets = new PurchaseTickets(config.botDefense().ticketKey(), config.botDefense().ticketTtlSeconds(),
        clock);
    PowChallenges challenges = new PowChallenges(config.botDefense().challengeKey(),
        config.botDefense().challengeTtlSeconds(), clock);
    return new Gateway(config, registry, metrics, new TokenVerifier(vertx, config.jwtSecret(), config.tokenCacheSize(),
            config.jwtIssuer(), config.jwtAudience()), catalog, soldOut, admissions,
        stock, order,
        new PurchaseRoutes(catalog, soldOut, limits, new ClientAddress(config.trustedProxies()), stock, metrics,
            admissions, config.stockMaxInFlight(), tickets),
        new BotDefenseRoutes(catalog, soldOut, challenges, tickets,
            new AdmissionLimits(config.botDefense().ratePerUser(), config.ratePerIp(), 0, config.rateLimitKeys()),
            new ClientAddress(config.trustedProxies()), stock, metrics, clock),
        new OrderRoutes(order, stock),
        new AdminRoutes(order, stock, catalog, soldOut, admissions),
        new DeadLetterRoutes(order),
        new HealthRoutes(stock, order, draining::get),
        new ConnectionCap(config.maxConnections(), metrics),
        draining);
  }
}
