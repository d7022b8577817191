package io.seckill.contracts;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicsTest {

  /** What a RocketMQ broker accepts as a topic or group name. */
  private static final Pattern ROCKETMQ_NAME = Pattern.compile("[A-Za-z0-9_-]{1,127}");

  private static final List<String> GROUPS = List.of(Topics.ORDER_CREATE_GROUP, Topics.ORDER_TIMEOUT_GROUP,
      Topics.STOCK_RELEASE_GROUP, Topics.STOCK_PRODUCER_GROUP, Topics.ORDER_PRODUCER_GROUP);

  @Test
  void theTopicNamesAreTheOnesTheScriptsAndManifestsCreate() {
    // ./seckill (TOPICS=...) and k8s/rocketmq.yaml create these very names before any consumer starts
    assertEquals("seckill-order-create", Topics.ORDER_CREATE);
    assertEquals("seckill-order-timeout", Topics.ORDER_TIMEOUT);
    assertEquals("seckill-stock-release", Topics.STOCK_RELEASE);
    assertEquals("seckill-dead-letter", Topics.DEAD_LETTER);
  }

  @Test
  void allIsEveryTopicOnceInCreationOrder() {
    assertEquals(List.of(Topics.ORDER_CREATE, Topics.ORDER_TIMEOUT, Topics.STOCK_RELEASE, Topics.DEAD_LETTER),
        Topics.ALL);
    assertEquals(Topics.ALL.size(), new HashSet<>(Topics.ALL).size());
    assertThrows(UnsupportedOperationException.class, () -> Topics.ALL.add("seckill-extra"));
  }

  @Test
  void eachConsumedTopicHasItsOwnConsumerGroupNamedAfterIt() {
    // the alert rules and dashboards name the lag of these groups
    assertEquals("seckill-order-create-cg", Topics.ORDER_CREATE_GROUP);
    assertEquals("seckill-order-timeout-cg", Topics.ORDER_TIMEOUT_GROUP);
    assertEquals("seckill-stock-release-cg", Topics.STOCK_RELEASE_GROUP);
    assertEquals(Topics.ORDER_CREATE + "-cg", Topics.ORDER_CREATE_GROUP);
    assertEquals(Topics.ORDER_TIMEOUT + "-cg", Topics.ORDER_TIMEOUT_GROUP);
    assertEquals(Topics.STOCK_RELEASE + "-cg", Topics.STOCK_RELEASE_GROUP);
  }

  @Test
  void theProducerGroupsAreNamedForTheServiceThatSends() {
    assertEquals("seckill-stock-pg", Topics.STOCK_PRODUCER_GROUP);
    assertEquals("seckill-order-pg", Topics.ORDER_PRODUCER_GROUP);
  }

  @Test
  void everyNameIsDistinctPrefixedAndOneTheBrokerAccepts() {
    Set<String> names = new HashSet<>(Topics.ALL);
    names.addAll(GROUPS);
    assertEquals(Topics.ALL.size() + GROUPS.size(), names.size(), "no topic shares a name with a group or another topic");
    for (String name : names) {
      assertTrue(name.startsWith("seckill-"), name);
      assertTrue(ROCKETMQ_NAME.matcher(name).matches(), name);
    }
  }
}
