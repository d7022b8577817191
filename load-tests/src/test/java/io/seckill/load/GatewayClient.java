package io.seckill.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A small blocking/async client of the gateway's public API, for set-up, checks, the demo and the fault suite. */
public final class GatewayClient {

  public static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: status, parsed JSON body (missing node when not JSON) and headers of interest. */
  public record Answer(int status, JsonNode body, String retryAfter, long millis) {
    public String text(String field) {
      JsonNode node = body.path(field);
      return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    public String code() {
      return text("code");
    }
  }

  private final HttpClient http;
  private final String baseUrl;
  private final Duration requestTimeout;

  public GatewayClient(String baseUrl) {
    this(baseUrl, Duration.ofSeconds(30));
  }

  /**
   * {@code requestTimeout} bounds each request; the fault suite keeps it short, so that a client
   * facing a hung part gives up and retries with its key as a real one would.
   */
  public GatewayClient(String baseUrl, Duration requestTimeout) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.requestTimeout = requestTimeout;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  public Answer get(String path, String token) {
    return join(getAsync(path, token));
  }

  public Answer post(String path, String token, String body, Map<String, String> headers) {
    return join(postAsync(path, token, body, headers));
  }

  public CompletableFuture<Answer> getAsync(String path, String token) {
    return send(request(path, token).GET().build());
  }

  public CompletableFuture<Answer> postAsync(String path, String token, String body, Map<String, String> headers) {
    HttpRequest.Builder builder = request(path, token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(builder::header);
    return send(builder.build());
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(requestTimeout)
        .header("Accept", "application/json, application/problem+json");
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private CompletableFuture<Answer> send(HttpRequest request) {
    long start = System.nanoTime();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> new Answer(response.statusCode(), parse(response.body()),
            response.headers().firstValue("Retry-After").orElse(null),
            (System.nanoTime() - start) / 1_000_000));
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException notJson) {
      return MissingNode.getInstance();
    }
  }

  private static Answer join(CompletableFuture<Answer> future) {
    try {
      return future.join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("gateway call failed: " + cause, cause);
    }
  }
}
