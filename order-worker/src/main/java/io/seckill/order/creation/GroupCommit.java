package io.seckill.order.creation;

import io.seckill.contracts.OrderMessage;
import io.seckill.order.sale.SaleLocks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Group commit over {@link OrderBatches}. The broker hands each consumer thread at most 32
 * messages per pull, so threads that arrive for the same sale while another one writes queue
 * their orders, and the next thread to get the sale's lock writes every queued order in one
 * transaction. Each caller gets its own outcomes, or the exception of the transaction that
 * carried its orders, and retries (with a pause) without the lock. This is the one place a
 * creation takes the sale's lock; nothing under it sleeps. Blocking.
 */
public final class GroupCommit {

  private final OrderBatches batches;
  private final SaleLocks locks;
  private final Map<String, Queue<Pending>> waiting = new ConcurrentHashMap<>();

  public GroupCommit(OrderBatches batches, SaleLocks locks) {
    this.batches = batches;
    this.locks = locks;
  }

  /** As {@link OrderBatches#persist}, possibly in one transaction with other threads' orders. */
  public Map<String, BatchOutcome> persist(String saleId, List<OrderMessage> orders) {
    Pending mine = new Pending(orders);
    Queue<Pending> queue = waiting.computeIfAbsent(saleId, k -> new ConcurrentLinkedQueue<>());
    queue.add(mine);
    locks.withSale(saleId, () -> {
      if (!mine.settled) {
        writeQueued(saleId, queue);
      }
      return null;
    });
    // settled under the sale's lock, which this thread took after the writer released it
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.outcomes;
  }

  private void writeQueued(String saleId, Queue<Pending> queue) {
    List<Pending> group = new ArrayList<>();
    for (Pending next = queue.poll(); next != null; next = queue.poll()) {
      group.add(next);
    }
    List<OrderMessage> together = new ArrayList<>();
    group.forEach(p -> together.addAll(p.orders));
    Map<String, BatchOutcome> outcomes = null;
    RuntimeException failure = null;
    try {
      outcomes = batches.persist(saleId, together);
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Pending p : group) {
      p.outcomes = outcomes;
      p.failure = failure;
      p.settled = true;
    }
  }

  /** One caller's orders, waiting to be written by whichever thread holds the sale's lock next. */
  private static final class Pending {
    private final List<OrderMessage> orders;
    private Map<String, BatchOutcome> outcomes;
    private RuntimeException failure;
    private boolean settled;

    Pending(List<OrderMessage> orders) {
      this.orders = orders;
    }
  }
}
