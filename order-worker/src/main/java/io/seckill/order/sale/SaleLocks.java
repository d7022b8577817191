package io.seckill.order.sale;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises, inside one worker process, the transactions that move one sale's stock. The version
 * check alone stays correct without it, but every consumer thread of a hot sale would then race
 * the others for the same row and most attempts would roll back; across processes the version
 * check still decides. Striped: sales that share a stripe merely wait for each other briefly.
 */
public final class SaleLocks {

  private final ReentrantLock[] stripes;

  public SaleLocks(int stripes) {
    this.stripes = new ReentrantLock[stripes];
    for (int i = 0; i < stripes; i++) {
      this.stripes[i] = new ReentrantLock();
    }
  }

  public <T> T withSale(String saleId, Supplier<T> work) {
    ReentrantLock lock = stripes[Math.floorMod(saleId.hashCode(), stripes.length)];
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }
}
