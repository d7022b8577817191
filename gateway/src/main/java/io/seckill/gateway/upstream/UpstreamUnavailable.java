package io.seckill.gateway.upstream;

/** An internal service could not be reached or answered with a server error; answered 503. */
public final class UpstreamUnavailable extends RuntimeException {

  public UpstreamUnavailable(String service, Throwable cause) {
    super(service + " is unavailable: " + (cause == null ? "no answer" : cause.getMessage()), cause);
  }

  public UpstreamUnavailable(String service, int status) {
    super(service + " answered " + status);
  }

  public UpstreamUnavailable(String service, String why) {
    super(service + " is unavailable: " + why);
  }
}
