package io.seckill.order.messaging;

import io.seckill.order.Retrying;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.message.MessageExt;

import java.util.List;

/**
 * The worker's listeners: each consumes a whole delivery, retrying what can pass; a shutdown in
 * the middle of a retry ({@link Retrying.Stopped}) hands the delivery back to the broker, whose
 * next delivery of it the listener recognises as done where it was.
 */
public abstract class HandBackListener implements MessageListenerConcurrently {

  @Override
  public final ConsumeConcurrentlyStatus consumeMessage(List<MessageExt> messages, ConsumeConcurrentlyContext context) {
    try {
      consume(messages);
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    } catch (Retrying.Stopped stopped) {
      handedBack(messages, stopped);
      return ConsumeConcurrentlyStatus.RECONSUME_LATER;
    }
  }

  /** Consumes the delivery; throws {@link Retrying.Stopped} when shutdown ended a retry. */
  protected abstract void consume(List<MessageExt> messages) throws Retrying.Stopped;

  /** Says that the delivery went back to the broker. */
  protected abstract void handedBack(List<MessageExt> messages, Retrying.Stopped stopped);
}
