package io.seckill.order.messaging;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.impl.consumer.ProcessQueue;

/**
 * A consumer's lag as it last saw it: messages pulled but not yet consumed, plus what the broker
 * reported as still behind the last pull, over the queues this instance owns.
 */
public final class ConsumerLag {

  private ConsumerLag() {
  }

  public static long of(DefaultMQPushConsumer consumer) {
    long lag = 0;
    for (ProcessQueue queue : consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().values()) {
      if (!queue.isDropped()) {
        lag += queue.getMsgCount().get() + queue.getMsgAccCnt();
      }
    }
    return lag;
  }
}
