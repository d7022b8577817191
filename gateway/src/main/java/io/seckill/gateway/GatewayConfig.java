package io.seckill.gateway;

import io.seckill.contracts.Secrets;
import io.seckill.contracts.http.ServiceCredential;
import io.seckill.gateway.botdefense.BotDefenseConfig;
import io.seckill.gateway.ratelimit.Cidr;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.seckill.contracts.Tunables.number;

/**
 * Every gateway setting, read once from the environment in {@link Main}.
 *
 * @param ratePerSale admissions per second to stock-service for one sale; 0 turns the limit off
 * @param ratePerUser admissions per second for one user (the JWT {@code sub}); 0 = off
 * @param ratePerIp   admissions per second for one client address; 0 = off
 * @param stockMaxInFlight purchases waiting on stock-service at once, per process; more are 429
 * @param maxConnections connections open on the public listener at once, per process; more are closed at once
 * @param bindHost    the address both listeners bind to ({@code SECKILL_BIND_HOST}, loopback by default)
 * @param managementPort {@code /metrics} and health, never on the public Service
 * @param credential  what the gateway presents to stock-service and order-worker
 * @param jwtIssuer   when set, every token's {@code iss} must equal it
 * @param jwtAudience when set, every token's {@code aud} must contain it
 * @param botDefense  proof-of-work secret and the lifetimes of challenges and tickets
 */
public record GatewayConfig(
    int port,
    String bindHost,
    int managementPort,
    URI stockUrl,
    URI orderUrl,
    ServiceCredential credential,
    String jwtSecret,
    String jwtIssuer,
    String jwtAudience,
    String env,
    long ratePerSale,
    long ratePerUser,
    long ratePerIp,
    List<Cidr> trustedProxies,
    int rateLimitKeys,
    int tokenCacheSize,
    int stockMaxInFlight,
    int maxConnections,
    long saleRefreshMillis,
    long soldOutProbeMillis,
    long shutdownGraceMillis,
    int eventLoops,
    BotDefenseConfig botDefense) {

  public static final String DEV_JWT_SECRET = Secrets.localDefault("SECKILL_JWT_SECRET");

  /** Whether the gateway runs with the public development secret (worth a loud warning). */
  public boolean usesDevSecret() {
    return DEV_JWT_SECRET.equals(jwtSecret);
  }

  /**
   * Reads the settings; {@code warn} receives one line per clamped tunable.
   *
   * @throws IllegalArgumentException when the gateway must not start (no secret outside a local
   *                                  run, a short secret, a malformed URL or CIDR)
   */
  public static GatewayConfig fromEnv(Map<String, String> env, Consumer<String> warn) {
    String runEnv = env.getOrDefault("SECKILL_ENV", "production");
    String secret = Secrets.require(env, "SECKILL_JWT_SECRET");
    int stockPort = (int) number(env, "SECKILL_STOCK_PORT", 8081, 1, 65535, warn);
    int orderPort = (int) number(env, "SECKILL_ORDER_PORT", 8082, 1, 65535, warn);
    return new GatewayConfig(
        (int) number(env, "SECKILL_GATEWAY_PORT", 8080, 0, 65535, warn),
        env.getOrDefault("SECKILL_BIND_HOST", "127.0.0.1"),
        (int) number(env, "SECKILL_GATEWAY_MANAGEMENT_PORT", 9080, 0, 65535, warn),
        url(env, "SECKILL_STOCK_URL", "http://127.0.0.1:" + stockPort),
        url(env, "SECKILL_ORDER_URL", "http://127.0.0.1:" + orderPort),
        new ServiceCredential(ServiceCredential.GATEWAY, Secrets.require(env, "SECKILL_GATEWAY_CREDENTIAL")),
        secret,
        optional(env, "SECKILL_JWT_ISSUER"),
        optional(env, "SECKILL_JWT_AUDIENCE"),
        runEnv,
        number(env, "SECKILL_RATE_PER_SALE", 2_000, 0, 1_000_000, warn),
        number(env, "SECKILL_RATE_PER_USER", 5, 0, 10_000, warn),
        number(env, "SECKILL_RATE_PER_IP", 1_000, 0, 1_000_000, warn),
        cidrs(env.getOrDefault("SECKILL_TRUSTED_PROXIES", "")),
        (int) number(env, "SECKILL_RATE_LIMIT_KEYS", 100_000, 1_000, 10_000_000, warn),
        (int) number(env, "SECKILL_TOKEN_CACHE_SIZE", 1_024, 0, 1 << 20, warn),
        (int) number(env, "SECKILL_STOCK_MAX_IN_FLIGHT", 32, 1, 4_096, warn),
        (int) number(env, "SECKILL_MAX_CONNECTIONS", 4_096, 16, 1_000_000, warn),
        number(env, "SECKILL_SALE_REFRESH_MS", 1_000, 100, 60_000, warn),
        number(env, "SECKILL_SOLDOUT_PROBE_MS", 250, 50, 10_000, warn),
        number(env, "SECKILL_SHUTDOWN_GRACE_MS", 10_000, 0, 120_000, warn),
        (int) number(env, "SECKILL_EVENT_LOOPS", Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 256, warn),
        new BotDefenseConfig(Secrets.require(env, "SECKILL_POW_SECRET"),
            number(env, "SECKILL_POW_CHALLENGE_TTL_SECONDS", 60, 5, 3_600, warn),
            number(env, "SECKILL_POW_TICKET_TTL_SECONDS", 60, 5, 3_600, warn),
            number(env, "SECKILL_RATE_CHALLENGES_PER_USER", 4, 0, 10_000, warn)));
  }

  private static String optional(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static URI url(Map<String, String> env, String name, String fallback) {
    String text = env.getOrDefault(name, fallback);
    try {
      URI uri = URI.create(text.trim());
      if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException(name + " must be an http:// URL, not '" + text + "'");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " must be an http:// URL, not '" + text + "'", e);
    }
  }

  private static List<Cidr> cidrs(String text) {
    List<Cidr> result = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        result.add(Cidr.parse(part.trim()));
      }
    }
    return List.copyOf(result);
  }
}
