package io.seckill.load.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** The few calls of Prometheus' HTTP API (/api/v1) a test of the monitoring needs. */
public final class Prometheus {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public Prometheus(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /**
   * What a dashboard panel would draw for {@code promql} between {@code from} and now, one point per
   * scrape: the number of series and of points that are numbers (a histogram quantile without
   * traffic is NaN: drawn as nothing). Throws when Prometheus rejects the query.
   */
  public Drawn queryRange(String promql, Instant from) {
    Instant to = Instant.now();
    JsonNode result = get("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + "&start=" + from.getEpochSecond() + "&end=" + to.getEpochSecond() + "&step=5").path("data").path("result");
    int points = 0;
    for (JsonNode series : result) {
      for (JsonNode value : series.path("values")) {
        String number = value.get(1).asText();
        if (!number.equals("NaN") && !number.endsWith("Inf")) {
          points++;
        }
      }
    }
    return new Drawn(result.size(), points);
  }

  /** The series and numeric points a range query returned. */
  public record Drawn(int series, int points) {
    public boolean hasData() {
      return points > 0;
    }
  }

  /** /api/v1/rules: every alerting rule with its health ("ok", "err", "unknown") and last error. */
  public JsonNode rules() {
    return get("/api/v1/rules?type=alert").path("data").path("groups");
  }

  /** /api/v1/targets: the active targets with their labels and health. */
  public JsonNode targets() {
    return get("/api/v1/targets?state=active").path("data").path("activeTargets");
  }

  private JsonNode get(String pathAndQuery) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new IllegalStateException("Prometheus answered " + response.statusCode() + " to " + pathAndQuery + ": " + response.body());
      }
      return body;
    } catch (IOException e) {
      throw new IllegalStateException("Prometheus at " + baseUrl + " did not answer " + pathAndQuery + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
