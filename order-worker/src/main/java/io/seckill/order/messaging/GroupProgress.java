package io.seckill.order.messaging;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.store.OffsetStore;
import org.apache.rocketmq.client.consumer.store.ReadOffsetType;
import org.apache.rocketmq.client.consumer.store.RemoteBrokerOffsetStore;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.impl.consumer.DefaultMQPushConsumerImpl;
import org.apache.rocketmq.client.impl.consumer.ProcessQueue;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.message.MessageQueue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asks the broker how far a consumer group has come on its topic (and on the group's retry topic,
 * where a delivery handed back on shutdown is redelivered): for every queue its max offset, and
 * the group's consumed offset, which is this instance's own in-memory offset for the queues it
 * owns and the offset stored in the broker for the others. Blocking (one broker round trip per
 * queue and question); never on the event loop.
 *
 * <p>The stored offset of a queue another instance owns lags what that instance has consumed by
 * up to its {@code persistConsumerOffsetInterval} (5 s by default): it can make the group look
 * behind when it is not, never ahead, since an offset is committed only after its messages are
 * in MySQL.
 *
 * <p>The stored offsets are read through a store of this check's own: the consumer's
 * {@link OffsetStore} writes what it reads from the broker over its in-memory offset, which for an
 * owned queue would set this instance back to an older position (and commit that later).
 */
public final class GroupProgress {

  /** The broker (or the name server) could not be asked; nothing can be concluded. */
  public static final class Unavailable extends Exception {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final TopicConsumer consumer;

  public GroupProgress(TopicConsumer consumer) {
    this.consumer = consumer;
  }

  public CreationBacklog backlog() throws Unavailable {
    DefaultMQPushConsumer push = consumer.pushConsumer();
    DefaultMQPushConsumerImpl impl = push.getDefaultMQPushConsumerImpl();
    MQClientInstance client = impl.getmQClientFactory();
    if (client == null) {
      throw new Unavailable("the consumer of " + consumer.topic() + " has not started", null);
    }
    OffsetStore own = impl.getOffsetStore();
    OffsetStore stored = new RemoteBrokerOffsetStore(client, push.getConsumerGroup());
    Map<MessageQueue, ProcessQueue> owned = impl.getRebalanceImpl().getProcessQueueTable();
    List<CreationBacklog.Position> positions = new ArrayList<>();
    for (MessageQueue queue : queues(push)) {
      long max;
      try {
        // read before the consumed offset: everything published before this request is below it
        max = push.maxOffset(queue);
      } catch (MQClientException e) {
        throw new Unavailable("no max offset for " + queue + ": " + e.getErrorMessage(), e);
      }
      positions.add(new CreationBacklog.Position(queue.getTopic() + "/" + queue.getBrokerName() + "/" + queue.getQueueId(),
          max, consumed(queue, owned, own, stored)));
    }
    return CreationBacklog.of(positions);
  }

  private List<MessageQueue> queues(DefaultMQPushConsumer push) throws Unavailable {
    List<MessageQueue> queues = new ArrayList<>();
    try {
      queues.addAll(push.fetchSubscribeMessageQueues(consumer.topic()));
    } catch (MQClientException e) {
      throw new Unavailable("no route to " + consumer.topic() + ": " + e.getErrorMessage(), e);
    }
    // the broker creates the retry topic at the group's first heartbeat; until then nothing was
    // handed back to it (a hand-back would create it)
    Set<MessageQueue> retry = push.getDefaultMQPushConsumerImpl().getRebalanceImpl().getTopicSubscribeInfoTable()
        .get(MixAll.getRetryTopic(push.getConsumerGroup()));
    if (retry != null) {
      queues.addAll(retry);
    }
    queues.sort(Comparator.comparing(MessageQueue::toString));
    return queues;
  }

  private static long consumed(MessageQueue queue, Map<MessageQueue, ProcessQueue> owned, OffsetStore own,
                               OffsetStore stored) throws Unavailable {
    ProcessQueue mine = owned.get(queue);
    if (mine != null && !mine.isDropped()) {
      long offset = own.readOffset(queue, ReadOffsetType.READ_FROM_MEMORY);
      if (offset >= 0) {
        return offset;
      }
    }
    // -1: the broker has no offset of the group for the queue (or refused the query): counted
    // from 0, so the queue looks behind rather than done; -2: the broker could not be reached
    long offset = stored.readOffset(queue, ReadOffsetType.READ_FROM_STORE);
    if (offset == -2) {
      throw new Unavailable("no consumed offset for " + queue + " (see the RocketMQ client log)", null);
    }
    return offset;
  }
}
