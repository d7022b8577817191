package io.seckill.order.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One order-worker jar for a test class ({@code @RegisterExtension static final RunningWorker}),
 * and, if asked for, a {@link Broker} to send it messages and watch what it sends.
 */
public final class RunningWorker implements BeforeAllCallback, AfterAllCallback {

  private final boolean withBroker;
  private Broker broker;
  private TestWorker worker;

  private RunningWorker(boolean withBroker) {
    this.withBroker = withBroker;
  }

  public static RunningWorker withBroker() {
    return new RunningWorker(true);
  }

  public static RunningWorker alone() {
    return new RunningWorker(false);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (withBroker) {
      broker = new Broker();
    }
    worker = TestWorker.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (worker != null) {
      worker.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  public TestWorker worker() {
    return worker;
  }

  public Broker broker() {
    return broker;
  }
}
