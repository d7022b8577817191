package io.seckill.load;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients of one run were told: every order id the gateway handed out (and to whom),
 * every order it confirmed as paid, and a count per answer. The guarantee check compares this
 * with what the engine stored, so a unit lost or invented between the two shows up.
 */
public final class RunLedger {

  private final Map<String, String> admitted = new ConcurrentHashMap<>();
  private final Map<String, String> admittedGroup = new ConcurrentHashMap<>();
  private final Set<String> paid = ConcurrentHashMap.newKeySet();
  private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Long> admittedMillis = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> purchaseMillis = new ConcurrentLinkedQueue<>();
  private final LongAdder failures = new LongAdder();

  /**
   * Records one purchase answer. {@code group} tells populations apart (honest users and
   * abusers, first and second wave) for the checks that compare them.
   */
  public void purchase(String group, String userId, int status, String orderId, String code, long millis) {
    answers.computeIfAbsent(label(status, code), k -> new LongAdder()).increment();
    countFailure(status);
    purchaseMillis.add(millis);
    if (status == 202 && orderId != null) {
      admitted.put(orderId, userId);
      admittedGroup.put(orderId, group);
      admittedMillis.add(millis);
    }
  }

  /** Records any other answer worth counting (order lookups, payments, abuse requests). */
  public void answer(String what, int status, String code) {
    answers.computeIfAbsent(what + " " + label(status, code), k -> new LongAdder()).increment();
    countFailure(status);
  }

  private void countFailure(int status) {
    if (status == 0 || status >= 500) {
      failures.increment();
    }
  }

  public void paid(String orderId) {
    paid.add(orderId);
  }

  public Map<String, String> admitted() {
    return Map.copyOf(admitted);
  }

  long admittedIn(String group) {
    return admittedGroup.values().stream().filter(group::equals).count();
  }

  Set<String> admittedIdsIn(String group) {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    admittedGroup.forEach((id, g) -> {
      if (g.equals(group)) {
        ids.add(id);
      }
    });
    return ids;
  }

  public Set<String> paid() {
    return Set.copyOf(paid);
  }

  /** Answer counts by label ({@code "202"}, {@code "409 SOLD_OUT"}, {@code "429 RATE_LIMITED"} …). */
  public Map<String, Long> answers() {
    Map<String, Long> counts = new TreeMap<>();
    answers.forEach((k, v) -> counts.put(k, v.sum()));
    return counts;
  }

  public long count(String label) {
    LongAdder adder = answers.get(label);
    return adder == null ? 0 : adder.sum();
  }

  /** Answers with a 5xx status or no HTTP answer at all (status 0), over every kind of request. */
  public long serverErrorsOrFailures() {
    return failures.sum();
  }

  /** The given percentile of admitted (202) purchase latencies, in ms; 0 when none. */
  long admittedPercentile(double percentile) {
    long[] sorted = admittedMillis.stream().mapToLong(Long::longValue).sorted().toArray();
    return percentileOf(sorted, percentile);
  }

  /** The given percentile of every purchase answer's latency (202, 409, 429 alike), in ms; 0 when none. */
  long purchasePercentile(double percentile) {
    long[] sorted = purchaseMillis.stream().mapToLong(Long::longValue).sorted().toArray();
    return percentileOf(sorted, percentile);
  }

  static long percentileOf(long[] sorted, double percentile) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  private static String label(int status, String code) {
    return code == null || code.isBlank() ? Integer.toString(status) : status + " " + code;
  }
}
