package io.seckill.load.faults;

/**
 * A process of the local stack a fault can hit, by the name {@code ./seckill} records its PID
 * under ({@code $SECKILL_HOME/pids/NAME.pid}), and a piece of its command line: before a signal
 * goes to a recorded PID, the suite checks that the PID still runs that program, so a stale PID
 * file can never make it signal some other process.
 */
enum Part {
  REDIS("redis", "redis-server"),
  MARIADB("mariadb", "mariadbd", "mysqld"),
  BROKER("broker", "BrokerStartup"),
  STOCK("stock-service", "stock-service.jar"),
  ORDER("order-worker", "order-worker.jar"),
  GATEWAY("gateway", "gateway.jar");

  private final String name;
  private final String[] commandMarkers;

  Part(String name, String... commandMarkers) {
    this.name = name;
    this.commandMarkers = commandMarkers;
  }

  /** The name of the part in {@code ./seckill} (PID file, log file, {@code status}). */
  String label() {
    return name;
  }

  boolean isService() {
    return this == STOCK || this == ORDER || this == GATEWAY;
  }

  /** True when {@code commandLine} is this part's program. */
  boolean runs(String commandLine) {
    for (String marker : commandMarkers) {
      if (commandLine.contains(marker)) {
        return true;
      }
    }
    return false;
  }

  /** The variable that points a service at this (infrastructure) part's port. */
  String portVariable() {
    return switch (this) {
      case REDIS -> "SECKILL_REDIS_PORT";
      case MARIADB -> "SECKILL_MYSQL_PORT";
      default -> throw new IllegalArgumentException(name + " is not reached through a port variable");
    };
  }

  @Override
  public String toString() {
    return name;
  }
}
