package io.seckill.stock.redis;

import java.util.List;

/**
 * The Redis keys of one sale. Every key carries the hash tag {@code {saleId}}, so all of them hash
 * to one slot and each script runs unchanged on Redis Cluster.
 */
public record SaleKeys(String saleId) {

  /** A plain set of warmed sale ids; written outside the sale scripts so they stay single-slot. */
  public static final String SALES = "seckill:sales";

  public String sale() {
    return "sale:{" + saleId + "}";
  }

  public String held() {
    return sale() + ":held";
  }

  public String reservations() {
    return sale() + ":res";
  }

  public String idempotency() {
    return sale() + ":idem";
  }

  public String outbox() {
    return sale() + ":outbox";
  }

  /** The tombstone of a retired sale (retire-6.lua); it expires after the retention period. */
  public String retired() {
    return sale() + ":retired";
  }

  /** Present once a proof-of-work solution of this sale was traded for a ticket (SolutionLedger). */
  public String solution(String challenge) {
    return sale() + ":pow:" + challenge;
  }

  /** Records staged by restore {@code token}, renamed to {@link #reservations()} by restore-7.lua. */
  public String stagedReservations(String token) {
    return sale() + ":restore:" + token + ":res";
  }

  /** Holdings staged by restore {@code token}, renamed to {@link #held()} by restore-7.lua. */
  public String stagedHeld(String token) {
    return sale() + ":restore:" + token + ":held";
  }

  public List<String> forWarm() {
    return List.of(sale(), reservations(), outbox());
  }

  public List<String> forReserve() {
    return List.of(sale(), held(), reservations(), idempotency(), outbox());
  }

  public List<String> forRelease() {
    return List.of(sale(), held(), reservations(), retired());
  }

  public List<String> forRestore(String token) {
    return List.of(sale(), held(), reservations(), idempotency(), outbox(), stagedHeld(token), stagedReservations(token));
  }

  public List<String> forRetire() {
    return List.of(sale(), held(), reservations(), idempotency(), outbox(), retired());
  }

  public List<String> forStats() {
    return List.of(sale());
  }

  /** Every key of the sale, its tombstone included (not the short-lived restore staging keys). */
  public List<String> all() {
    return List.of(sale(), held(), reservations(), idempotency(), outbox(), retired());
  }
}
