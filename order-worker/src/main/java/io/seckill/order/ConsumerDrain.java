package io.seckill.order;

import io.seckill.order.messaging.TopicConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Stops the consumers gracefully. They stop pulling first, so no new message is taken; every
 * message already pulled is still consumed, for up to the grace, so that what was taken is
 * finished and acknowledged rather than redone by the next owner of its queue. Work still waiting
 * on an outage when the grace ends is abandoned ({@link Retrying#stop}): its messages go back to
 * the broker, which hands them out again with no limit on how often, so nothing counts toward a
 * dead letter. Finally the consumers commit and leave their groups. Blocking.
 */
final class ConsumerDrain {

  private static final Logger log = LoggerFactory.getLogger(ConsumerDrain.class);
  /** Time for abandoned work to hand its messages back, and for a listener to return. */
  private static final long HAND_BACK_MILLIS = 2_000;

  private final List<TopicConsumer> consumers;
  private final Retrying retrying;

  ConsumerDrain(List<TopicConsumer> consumers, Retrying retrying) {
    this.consumers = consumers;
    this.retrying = retrying;
  }

  void run(long graceMillis) {
    if (consumers.isEmpty()) {
      return;
    }
    consumers.forEach(TopicConsumer::suspend);
    long started = System.nanoTime();
    boolean drained = waitFor(this::nothingUnfinished, graceMillis);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    if (drained) {
      log.info("consumers stopped taking messages; every message taken was finished in {} ms", tookMillis);
    } else {
      log.warn("{} message(s) still unfinished after the {} ms grace (MySQL or the broker down?): handed back to the broker",
          unfinished(), graceMillis);
    }
    if (retrying != null) {
      retrying.stop();
    }
    waitFor(this::nothingUnfinished, HAND_BACK_MILLIS);
    for (TopicConsumer consumer : consumers) {
      consumer.shutdown(HAND_BACK_MILLIS);
    }
  }

  private boolean nothingUnfinished() {
    return unfinished() == 0;
  }

  private long unfinished() {
    return consumers.stream().mapToLong(TopicConsumer::unfinished).sum();
  }

  private static boolean waitFor(BooleanSupplier done, long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
