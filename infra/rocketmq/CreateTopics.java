import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Creates the project's topics on the local broker in one JVM (one mqadmin call per topic costs
 * a 5-8 s JVM start each), then waits until the name server routes every one of them, so no
 * consumer starts against a topic it cannot see yet.
 *
 * <p>Usage: java -cp ROCKETMQ_CP CreateTopics.java NAMESRV BROKER_ADDR QUEUES TOPIC...
 */
public class CreateTopics {
  public static void main(String[] args) throws Exception {
    String namesrv = args[0];
    String broker = args[1];
    int queues = Integer.parseInt(args[2]);
    DefaultMQAdminExt admin = new DefaultMQAdminExt();
    admin.setNamesrvAddr(namesrv);
    admin.setInstanceName("seckill-create-topics-" + ProcessHandle.current().pid());
    admin.start();
    try {
      for (int i = 3; i < args.length; i++) {
        TopicConfig config = new TopicConfig(args[i], queues, queues, 6);
        admin.createAndUpdateTopicConfig(broker, config);
      }
      long deadline = System.currentTimeMillis() + 60_000;
      for (int i = 3; i < args.length; i++) {
        while (true) {
          try {
            TopicRouteData route = admin.examineTopicRouteInfo(args[i]);
            if (route != null && !route.getQueueDatas().isEmpty()) {
              break;
            }
          } catch (Exception notYet) {
            // the broker registers with the name server every few seconds; poll until it has
          }
          if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException("no route for topic " + args[i] + " after 60 s");
          }
          Thread.sleep(200);
        }
      }
    } finally {
      admin.shutdown();
    }
  }
}
