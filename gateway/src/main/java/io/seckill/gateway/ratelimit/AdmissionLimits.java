package io.seckill.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;

/**
 * Bucket4j token buckets per user, per client address and per sale, each a local lock-free
 * bucket held in a bounded, expiring Caffeine map: millions of distinct users or addresses evict
 * old buckets instead of exhausting memory, and an evicted bucket comes back full, which only
 * ever errs towards admitting (stock-service still enforces every hard limit).
 */
public final class AdmissionLimits {

  public static final String USER = "user";
  public static final String IP = "ip";
  public static final String SALE = "sale";

  private final Limit perUser;
  private final Limit perIp;
  private final Limit perSale;

  public AdmissionLimits(long ratePerUser, long ratePerIp, long ratePerSale, int maxKeys) {
    this.perUser = new Limit(USER, ratePerUser, maxKeys);
    this.perIp = new Limit(IP, ratePerIp, maxKeys);
    this.perSale = new Limit(SALE, ratePerSale, 10_000);
  }

  /**
   * Takes one token from each limit, narrowest first: a single abusive user or address is
   * stopped before it can spend the sale's shared budget.
   */
  public Admission tryAdmit(String userId, String clientIp, String saleId) {
    Admission admission = tryAdmitCaller(userId, clientIp);
    return admission.isAdmitted() ? tryAdmitSale(saleId) : admission;
  }

  /**
   * The caller's own limits, per user then per address. Split from {@link #tryAdmitSale} so that a
   * check between them (a purchase ticket) runs only for callers within their limits and before
   * the sale's shared budget is spent.
   */
  public Admission tryAdmitCaller(String userId, String clientIp) {
    Admission admission = perUser.tryTake(userId);
    return admission.isAdmitted() ? perIp.tryTake(clientIp) : admission;
  }

  /** The sale's shared budget. */
  public Admission tryAdmitSale(String saleId) {
    return perSale.tryTake(saleId);
  }

  /** Number of buckets currently held, for tests of the bound. */
  public long bucketCount() {
    return perUser.size() + perIp.size() + perSale.size();
  }

  private static final class Limit {
    private final String name;
    private final long rate;
    private final Cache<String, Bucket> buckets;

    Limit(String name, long rate, int maxKeys) {
      this.name = name;
      this.rate = rate;
      // A bucket idle for a few seconds is full again anyway: dropping it loses nothing.
      this.buckets = Caffeine.newBuilder()
          .maximumSize(maxKeys)
          .expireAfterAccess(Duration.ofSeconds(10))
          .build();
    }

    Admission tryTake(String key) {
      if (rate == 0) {
        return Admission.pass();
      }
      Bucket bucket = buckets.get(key, k -> Bucket.builder()
          .addLimit(Bandwidth.builder().capacity(rate).refillGreedy(rate, Duration.ofSeconds(1)).build())
          .build());
      ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
      return probe.isConsumed() ? Admission.pass() : Admission.rejected(name, probe.getNanosToWaitForRefill());
    }

    long size() {
      buckets.cleanUp();
      return buckets.estimatedSize();
    }
  }
}
