package io.seckill.stock.http;

/** Whether stock-service should get traffic: Redis answered lately and it is not shutting down. */
public final class Readiness {

  private volatile boolean redisUp;
  private volatile boolean draining;

  public void redis(boolean up) {
    redisUp = up;
  }

  public void drain() {
    draining = true;
  }

  public boolean redisUp() {
    return redisUp;
  }

  public boolean draining() {
    return draining;
  }

  public boolean ready() {
    return redisUp && !draining;
  }
}
