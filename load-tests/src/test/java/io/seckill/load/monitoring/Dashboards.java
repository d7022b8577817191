package io.seckill.load.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every panel query of the dashboards in {@code k8s/monitoring/dashboards}, read from Grafana's JSON model. */
public final class Dashboards {

  /** One query of one panel, named the way an operator would look for it. */
  public record PanelQuery(String dashboard, String panel, String refId, String expr) {
    @Override
    public String toString() {
      return dashboard + " › " + panel + " [" + refId + "]";
    }
  }

  private Dashboards() {
  }

  public static List<PanelQuery> queries(Path dir) {
    ObjectMapper json = new ObjectMapper();
    List<PanelQuery> queries = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode dashboard = json.readTree(file.toFile());
        for (JsonNode panel : dashboard.path("panels")) {
          for (JsonNode target : panel.path("targets")) {
            queries.add(new PanelQuery(dashboard.path("uid").asText(), panel.path("title").asText(),
                target.path("refId").asText(), target.path("expr").asText()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboards in " + dir, e);
    }
    return queries;
  }

  /**
   * The query as Grafana would send it for "All" of every variable over {@code rangeSeconds}:
   * {@code $__rate_interval} is four 5 s scrapes at least, rounded up to a minute as Grafana does
   * with its default 15 s scrape interval; {@code $__range} is the whole window.
   */
  public static String resolve(String expr, long rangeSeconds) {
    return expr.replace("$__rate_interval", "1m")
        .replace("$__range", rangeSeconds + "s")
        .replace("$sale", ".+")
        .replace("$service", ".+");
  }
}
