package io.seckill.testkit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * k8s/monitoring without a cluster: the ConfigMaps ship exactly the files (they are generated),
 * the manifests follow the rules of k8s/ (K8sManifestsTest), the cluster's Prometheus finds what
 * it must scrape (Debian's promtool cannot check its Kubernetes discovery), every dashboard panel
 * has a query, and every alert names a panel that exists and a runbook entry that exists.
 */
class MonitoringManifestsTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static Path dir;
  private static final List<HasMetadata> objects = new ArrayList<>();
  private static final Map<String, JsonObject> dashboards = new TreeMap<>();

  @BeforeAll
  static void parse() throws IOException {
    dir = ServiceProcess.repoRoot().resolve("k8s").resolve("monitoring");
    for (Path file : list(dir, ".yaml")) {
      Object parsed = SERIALIZATION.unmarshal(Files.readString(file));
      if (parsed instanceof List<?> list) {
        list.forEach(o -> objects.add((HasMetadata) o));
      } else {
        objects.add((HasMetadata) parsed);
      }
    }
    for (Path file : list(dir.resolve("dashboards"), ".json")) {
      JsonObject dashboard = new JsonObject(Files.readString(file));
      dashboards.put(dashboard.getString("uid"), dashboard);
    }
  }

  @Test
  void configMapsShipTheFilesByteForByte() throws IOException {
    Map<String, List<Path>> sources = Map.of(
        "prometheus-config", List.of(dir.resolve("config").resolve("prometheus.yml")),
        "prometheus-rules", list(dir.resolve("rules"), ".yaml"),
        "grafana-dashboards", list(dir.resolve("dashboards"), ".json"));
    for (var source : sources.entrySet()) {
      ConfigMap map = find(ConfigMap.class, source.getKey());
      Map<String, String> expected = new HashMap<>();
      for (Path file : source.getValue()) {
        expected.put(file.getFileName().toString(), Files.readString(file));
      }
      assertEquals(expected.keySet(), map.getData().keySet(), source.getKey() + " holds every file and only those");
      expected.forEach((name, text) -> assertEquals(text, map.getData().get(name),
          source.getKey() + "/" + name + " differs from the file: run infra/monitoring/configmaps.sh"));
    }
    assertEquals("1", find(ConfigMap.class, "grafana-dashboards").getMetadata().getLabels().get("grafana_dashboard"),
        "labelled for Grafana's dashboard sidecar");
  }

  @Test
  void workloadsFollowTheRulesOfK8s() {
    List<String> workloads = new ArrayList<>();
    for (HasMetadata o : objects) {
      String where = o.getKind() + "/" + o.getMetadata().getName();
      assertEquals("seckill", o.getMetadata().getNamespace(), where + " namespace");
      assertEquals("seckill", o.getMetadata().getLabels().get("app.kubernetes.io/part-of"), where + " part-of label");
      PodTemplateSpec template = o instanceof Deployment d ? d.getSpec().getTemplate()
          : o instanceof StatefulSet s ? s.getSpec().getTemplate() : null;
      if (template == null) {
        continue;
      }
      workloads.add(o.getMetadata().getName());
      Map<String, String> selector = o instanceof Deployment d ? d.getSpec().getSelector().getMatchLabels()
          : ((StatefulSet) o).getSpec().getSelector().getMatchLabels();
      assertTrue(template.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()), where + " selector matches its pods");
      for (Container c : template.getSpec().getContainers()) {
        assertTrue(c.getImage().contains(":") && !c.getImage().endsWith(":latest"), where + " pins its image: " + c.getImage());
        assertNotNull(c.getResources().getRequests().get("cpu"), where + " requests cpu");
        assertNotNull(c.getResources().getRequests().get("memory"), where + " requests memory");
        assertNotNull(c.getResources().getLimits().get("memory"), where + " limits memory");
        assertNotNull(c.getReadinessProbe(), where + " has a readiness probe");
        assertNotNull(c.getLivenessProbe(), where + " has a liveness probe");
      }
    }
    assertEquals(Set.of("prometheus", "redis-exporter", "mysql-exporter"), new HashSet<>(workloads));
  }

  @Test
  void exportersAskToBeScrapedOnAPortTheyDeclare() {
    for (String name : List.of("redis-exporter", "mysql-exporter")) {
      PodTemplateSpec pod = find(Deployment.class, name).getSpec().getTemplate();
      Map<String, String> annotations = pod.getMetadata().getAnnotations();
      assertEquals("true", annotations.get("prometheus.io/scrape"), name);
      int port = Integer.parseInt(annotations.get("prometheus.io/port"));
      assertTrue(pod.getSpec().getContainers().get(0).getPorts().stream().map(ContainerPort::getContainerPort)
          .anyMatch(p -> p == port), name + " declares its metrics port " + port);
    }
  }

  @Test
  void everyComponentOfASaleAsksToBeScraped() throws IOException {
    Path k8s = dir.getParent();
    List<String> scraped = new ArrayList<>();
    for (Path file : list(k8s, ".yaml")) {
      Object parsed = SERIALIZATION.unmarshal(Files.readString(file));
      for (Object o : parsed instanceof List<?> list ? list : List.of(parsed)) {
        PodTemplateSpec pod = o instanceof Deployment d ? d.getSpec().getTemplate()
            : o instanceof StatefulSet s ? s.getSpec().getTemplate() : null;
        Map<String, String> annotations = pod == null || pod.getMetadata().getAnnotations() == null
            ? Map.of() : pod.getMetadata().getAnnotations();
        if ("true".equals(annotations.get("prometheus.io/scrape"))) {
          assertTrue(annotations.getOrDefault("prometheus.io/port", "").matches("\\d+"),
              ((HasMetadata) o).getMetadata().getName() + " names its metrics port");
          scraped.add(pod.getMetadata().getLabels().get("app.kubernetes.io/name"));
        }
      }
    }
    assertTrue(scraped.containsAll(List.of("gateway", "stock-service", "order-worker", "rocketmq-broker")),
        "pods with prometheus.io/scrape: " + scraped);
  }

  @Test
  void clusterPrometheusDiscoversAnnotatedPodsAndLoadsTheMountedRules() throws IOException {
    JsonObject config = yaml(dir.resolve("config").resolve("prometheus.yml"));
    JsonObject pods = objectsOf(config.getJsonArray("scrape_configs")).stream()
        .filter(job -> job.containsKey("kubernetes_sd_configs")).findFirst()
        .orElseThrow(() -> new AssertionError("a scrape job with Kubernetes pod discovery"));
    JsonObject sd = pods.getJsonArray("kubernetes_sd_configs").getJsonObject(0);
    assertEquals("pod", sd.getString("role"));
    assertEquals("seckill", sd.getJsonObject("namespaces").getJsonArray("names").getString(0));
    String relabels = pods.getJsonArray("relabel_configs").encode();
    for (String needed : List.of("__meta_kubernetes_pod_annotation_prometheus_io_scrape",
        "__meta_kubernetes_pod_annotation_prometheus_io_port", "__meta_kubernetes_pod_annotation_prometheus_io_path",
        "__meta_kubernetes_pod_label_app_kubernetes_io_name")) {
      assertTrue(relabels.contains(needed), "relabelling uses " + needed);
    }
    assertTrue(relabels.contains("\"target_label\":\"service\""), "targets get the service label the rules group by");

    StatefulSet prometheus = find(StatefulSet.class, "prometheus");
    Container c = prometheus.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> mounts = new HashMap<>();
    for (VolumeMount mount : c.getVolumeMounts()) {
      mounts.put(mount.getName(), mount.getMountPath());
    }
    Map<String, String> volumes = new HashMap<>();
    prometheus.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
        .forEach(v -> volumes.put(v.getName(), v.getConfigMap().getName()));
    assertEquals(Map.of("config", "prometheus-config", "rules", "prometheus-rules"), volumes);
    assertTrue(c.getArgs().contains("--config.file=" + mounts.get("config")), "reads the mounted configuration");
    String ruleGlob = config.getJsonArray("rule_files").getString(0);
    assertEquals(mounts.get("rules") + "/*.yaml", ruleGlob, "rule_files points at the mounted rules");
  }

  @Test
  void everyPanelHasAQueryAndEveryVariableItUsesExists() {
    assertEquals(Set.of("seckill-sale", "seckill-pipeline", "seckill-jvm"), dashboards.keySet());
    Pattern variable = Pattern.compile("\\$(\\w+)");
    for (JsonObject dashboard : dashboards.values()) {
      Set<String> defined = new HashSet<>();
      objectsOf(dashboard.getJsonObject("templating").getJsonArray("list")).forEach(v -> defined.add(v.getString("name")));
      Set<Integer> ids = new HashSet<>();
      for (JsonObject panel : objectsOf(dashboard.getJsonArray("panels"))) {
        String where = dashboard.getString("uid") + " › " + panel.getString("title");
        assertTrue(ids.add(panel.getInteger("id")), where + " has its own id");
        assertFalse(panel.getString("title", "").isBlank(), where + " has a title");
        assertFalse(panel.getString("description", "").isBlank(), where + " says what it shows");
        assertEquals("${datasource}", panel.getJsonObject("datasource").getString("uid"), where + " uses the datasource variable");
        List<JsonObject> targets = objectsOf(panel.getJsonArray("targets", new JsonArray()));
        assertFalse(targets.isEmpty(), where + " has a query");
        for (JsonObject target : targets) {
          String expr = target.getString("expr", "");
          assertFalse(expr.isBlank(), where + " query " + target.getString("refId"));
          Matcher m = variable.matcher(expr);
          while (m.find()) {
            assertTrue(m.group(1).startsWith("__") || defined.contains(m.group(1)),
                where + " uses $" + m.group(1) + ", which the dashboard does not define");
          }
        }
      }
    }
  }

  @Test
  void everyAlertNamesWhatIsAtRiskAPanelThatExistsAndItsRunbook() throws IOException {
    String runbook = Files.readString(ServiceProcess.repoRoot().resolve("docs").resolve("monitoring.md"));
    int alerts = 0;
    for (Path file : list(dir.resolve("rules"), ".yaml")) {
      for (JsonObject group : objectsOf(yaml(file).getJsonArray("groups"))) {
        for (JsonObject rule : objectsOf(group.getJsonArray("rules"))) {
          String alert = rule.getString("alert");
          alerts++;
          JsonObject annotations = rule.getJsonObject("annotations");
          assertTrue(List.of("page", "warn").contains(rule.getJsonObject("labels").getString("severity")), alert + " severity");
          assertFalse(annotations.getString("summary", "").isBlank(), alert + " summary");
          assertTrue(annotations.getString("at_risk", "").matches("(?s)^(Units|Money)\\b.*"),
              alert + " at_risk starts by naming what is at risk (Units, Money): " + annotations.getString("at_risk"));
          JsonObject dashboard = dashboards.get(annotations.getString("dashboard"));
          assertNotNull(dashboard, alert + " names dashboard " + annotations.getString("dashboard"));
          String panel = annotations.getString("panel");
          assertTrue(objectsOf(dashboard.getJsonArray("panels")).stream().anyMatch(p -> panel.equals(p.getString("title"))),
              alert + " names panel '" + panel + "', which " + annotations.getString("dashboard") + " does not have");
          assertEquals("docs/monitoring.md#" + alert.toLowerCase(), annotations.getString("runbook"), alert + " runbook link");
          assertTrue(runbook.contains("\n### " + alert + "\n"), "docs/monitoring.md has a section '### " + alert + "'");
        }
      }
    }
    assertEquals(10, alerts, "alerts in k8s/monitoring/rules");
  }

  @SuppressWarnings("unchecked")
  private static JsonObject yaml(Path file) throws IOException {
    return new JsonObject((Map<String, Object>) SERIALIZATION.unmarshal(Files.readString(file), Map.class));
  }

  private static List<JsonObject> objectsOf(JsonArray array) {
    List<JsonObject> objects = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      objects.add(array.getJsonObject(i));
    }
    return objects;
  }

  private static List<Path> list(Path folder, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static <T extends HasMetadata> T find(Class<T> kind, String name) {
    return objects.stream().filter(kind::isInstance).map(kind::cast)
        .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name + " in k8s/monitoring"));
  }
}
