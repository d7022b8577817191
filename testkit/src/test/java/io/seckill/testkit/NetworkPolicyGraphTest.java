package io.seckill.testkit;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.seckill.testkit.NetworkPolicyGraph.Endpoint;
import io.seckill.testkit.NetworkPolicyGraph.Port;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import static io.seckill.testkit.K8sManifests.NAME_LABEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who can reach whom under the NetworkPolicies of k8s/ and k8s/monitoring/: every pod the manifests
 * make (Prometheus and the exporters included, in namespace seckill), plus the world around them (a
 * buyer on the internet, the Kubernetes API server, kube-dns, a pod of another namespace, a pod
 * labelled prometheus in namespace monitoring, and a stray pod started in namespace seckill, e.g. a
 * debug shell), tried on every port each of them listens on. The allowed connections must be
 * exactly the architecture's.
 */
class NetworkPolicyGraphTest {

  private static final String NAMESPACE = "seckill";

  /** Where the broker listens without declaring it: the VIP channel (port - 2) and HA (port + 1). */
  private static final Map<String, List<Port>> UNDECLARED_LISTENERS =
      Map.of("rocketmq-broker", List.of(Port.tcp(10909), Port.tcp(10912)));

  /** Every connection the architecture needs, and nothing else. */
  private static final Set<String> EXPECTED = new TreeSet<>(List.of(
      // the public door: whoever reaches the load balancer, inside or outside the cluster
      "internet -> gateway:8080/TCP",
      "other-namespace-pod -> gateway:8080/TCP",
      "monitoring-namespace-pod -> gateway:8080/TCP",
      "kube-dns -> gateway:8080/TCP",
      "kube-apiserver -> gateway:8080/TCP",
      // scrapes, on the metrics ports only, by the Prometheus of k8s/monitoring
      "prometheus -> gateway:9080/TCP",
      "prometheus -> stock-service:9081/TCP",
      "prometheus -> order-worker:9082/TCP",
      "prometheus -> rocketmq-broker:5557/TCP",
      "prometheus -> redis-exporter:9121/TCP",
      "prometheus -> mysql-exporter:9104/TCP",
      // and its pod discovery: "prometheus -> kube-apiserver:PORT/TCP", added by build() with the
      // port of prometheus-kube-api, a placeholder to edit per cluster
      // each exporter reads its own server
      "redis-exporter -> redis:6379/TCP",
      "redis-exporter -> kube-dns:53/UDP",
      "redis-exporter -> kube-dns:53/TCP",
      "mysql-exporter -> mariadb:3306/TCP",
      "mysql-exporter -> kube-dns:53/UDP",
      "mysql-exporter -> kube-dns:53/TCP",
      "gateway -> stock-service:8081/TCP",
      "gateway -> order-worker:8082/TCP",
      "gateway -> kube-dns:53/UDP",
      "gateway -> kube-dns:53/TCP",
      "stock-service -> redis:6379/TCP",
      // the Redis Cluster: replicas read their masters, every node gossips on the bus
      "redis -> redis:6379/TCP",
      "redis -> redis:16379/TCP",
      // the Job that forms it resolves the nodes' names and meets each one
      "redis-cluster-create -> redis:6379/TCP",
      "redis-cluster-create -> kube-dns:53/UDP",
      "redis-cluster-create -> kube-dns:53/TCP",
      "stock-service -> rocketmq-namesrv:9876/TCP",
      "stock-service -> rocketmq-broker:10911/TCP",
      "stock-service -> kube-dns:53/UDP",
      "stock-service -> kube-dns:53/TCP",
      "order-worker -> stock-service:8081/TCP",
      "order-worker -> mariadb:3306/TCP",
      "order-worker -> rocketmq-namesrv:9876/TCP",
      "order-worker -> rocketmq-broker:10911/TCP",
      "order-worker -> kube-dns:53/UDP",
      "order-worker -> kube-dns:53/TCP",
      "rocketmq-broker -> rocketmq-namesrv:9876/TCP",
      "rocketmq-broker -> kube-dns:53/UDP",
      "rocketmq-broker -> kube-dns:53/TCP",
      "rocketmq-topics -> rocketmq-namesrv:9876/TCP",
      "rocketmq-topics -> rocketmq-broker:10911/TCP",
      "rocketmq-topics -> kube-dns:53/UDP",
      "rocketmq-topics -> kube-dns:53/TCP"));

  private static NetworkPolicyGraph graph;
  private static int apiPort;
  private static final Map<String, Endpoint> endpoints = new HashMap<>();

  @BeforeAll
  static void build() {
    K8sManifests k8s = K8sManifests.load();
    Namespace namespace = k8s.all(Namespace.class).get(0);
    Map<String, String> seckillLabels = new HashMap<>(namespace.getMetadata().getLabels());
    seckillLabels.put("kubernetes.io/metadata.name", NAMESPACE); // set by the API server on every namespace
    graph = new NetworkPolicyGraph(k8s.all(NetworkPolicy.class), Map.of(
        NAMESPACE, seckillLabels,
        "monitoring", Map.of("kubernetes.io/metadata.name", "monitoring"),
        "kube-system", Map.of("kubernetes.io/metadata.name", "kube-system"),
        "default", Map.of("kubernetes.io/metadata.name", "default")));

    for (HasMetadata workload : k8s.workloads()) {
      PodTemplateSpec template = K8sManifests.templateOf(workload);
      String name = template.getMetadata().getLabels().get(NAME_LABEL);
      List<Port> ports = new ArrayList<>(UNDECLARED_LISTENERS.getOrDefault(name, List.of()));
      for (Container c : template.getSpec().getContainers()) {
        for (ContainerPort p : Objects.requireNonNullElse(c.getPorts(), List.<ContainerPort>of())) {
          ports.add(new Port(p.getContainerPort(), Objects.requireNonNullElse(p.getProtocol(), "TCP"), p.getName()));
        }
      }
      add(new Endpoint(name, NAMESPACE, template.getMetadata().getLabels(), ports));
    }
    add(Endpoint.outside("internet", "203.0.113.7", Port.tcp(443)));
    NetworkPolicyPeer apiPeer = apiServerRule(k8s).getTo().get(0);
    String apiAddress = apiPeer.getIpBlock().getCidr().substring(0, apiPeer.getIpBlock().getCidr().indexOf('/'));
    apiPort = apiServerRule(k8s).getPorts().get(0).getPort().getIntVal();
    // the API server listens on 443 or 6443 depending on the cluster: both are tried
    add(Endpoint.outside("kube-apiserver", apiAddress,
        new TreeSet<>(List.of(443, 6443, apiPort)).stream().map(Port::tcp).toArray(Port[]::new)));
    EXPECTED.add("prometheus -> kube-apiserver:" + apiPort + "/TCP");
    // the old home of Prometheus: being labelled prometheus elsewhere opens nothing
    add(new Endpoint("monitoring-namespace-pod", "monitoring", Map.of(NAME_LABEL, "prometheus"), List.of(Port.tcp(9090))));
    add(new Endpoint("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"),
        List.of(new Port(53, "UDP", "dns"), new Port(53, "TCP", "dns-tcp"))));
    add(new Endpoint("other-namespace-pod", "default", Map.of("app", "other"), List.of(Port.tcp(8080))));
    add(new Endpoint("stray-pod", NAMESPACE, Map.of("run", "debug"), List.of(Port.tcp(8080))));
  }

  /**
   * The one rule of prometheus-kube-api, whose address and port are the placeholder or the
   * cluster's own: one single address (an ipBlock of /32 or /128) and one numbered port, so the rule
   * can open nothing but the API server.
   */
  private static NetworkPolicyEgressRule apiServerRule(K8sManifests k8s) {
    List<NetworkPolicyEgressRule> rules = k8s.find(NetworkPolicy.class, "prometheus-kube-api").getSpec().getEgress();
    assertEquals(1, rules.size(), "prometheus-kube-api has one rule");
    NetworkPolicyEgressRule rule = rules.get(0);
    assertEquals(1, rule.getTo().size(), "prometheus-kube-api opens one peer: " + rule.getTo());
    NetworkPolicyPeer peer = rule.getTo().get(0);
    assertNotNull(peer.getIpBlock(), "prometheus-kube-api names the API server by address");
    String cidr = peer.getIpBlock().getCidr();
    assertTrue(cidr.endsWith("/32") || cidr.endsWith("/128"), "prometheus-kube-api opens a single address, not " + cidr);
    assertEquals(1, rule.getPorts().size(), "prometheus-kube-api opens one port");
    assertNotNull(rule.getPorts().get(0).getPort().getIntVal(), "prometheus-kube-api opens a numbered port");
    return rule;
  }

  private static void add(Endpoint endpoint) {
    endpoints.put(endpoint.name(), endpoint);
  }

  @Test
  void exactlyTheArchitecturesFlowsAreAllowed() {
    assertTrue(endpoints.keySet().containsAll(List.of("gateway", "stock-service", "order-worker", "redis", "mariadb",
        "rocketmq-namesrv", "rocketmq-broker", "rocketmq-topics", "prometheus", "redis-exporter", "mysql-exporter")),
        "every workload is in the graph: " + endpoints.keySet());
    Set<String> allowed = new TreeSet<>();
    for (Endpoint from : endpoints.values()) {
      for (Endpoint to : endpoints.values()) {
        // flows between outsiders are not ours to rule on
        if (!NAMESPACE.equals(from.namespace()) && !NAMESPACE.equals(to.namespace())) {
          continue;
        }
        for (Port port : to.ports()) {
          if (graph.allows(from, to, port)) {
            allowed.add(from.name() + " -> " + to.name() + ":" + port);
          }
        }
      }
    }
    List<String> blocked = EXPECTED.stream().filter(flow -> !allowed.contains(flow)).toList();
    List<String> extra = allowed.stream().filter(flow -> !EXPECTED.contains(flow)).toList();
    assertEquals(List.of(), blocked, "flows the architecture needs that the policies block");
    assertEquals(List.of(), extra, "flows the policies allow that the architecture does not need");
  }

  @Test
  void theDataStoresAnswerOnlyTheirOwnServiceAndExporter() {
    assertNoneReach(List.of("gateway", "order-worker", "rocketmq-broker", "stray-pod", "internet", "prometheus",
        "mysql-exporter", "monitoring-namespace-pod"), "redis", 6379);
    assertNoneReach(List.of("gateway", "stock-service", "rocketmq-broker", "stray-pod", "internet", "prometheus",
        "redis-exporter", "monitoring-namespace-pod"), "mariadb", 3306);
    assertAllowed("stock-service", "redis", 6379);
    assertAllowed("redis-exporter", "redis", 6379);
    // the cluster bus is the nodes' own: not even stock-service reaches it
    assertNoneReach(List.of("stock-service", "redis-exporter", "redis-cluster-create", "stray-pod"), "redis", 16379);
    assertAllowed("redis", "redis", 16379);
    assertAllowed("order-worker", "mariadb", 3306);
    assertAllowed("mysql-exporter", "mariadb", 3306);
  }

  @Test
  void theInternalRoutesAnswerOnlyTheirCallers() {
    List<String> strangers = List.of("internet", "other-namespace-pod", "stray-pod", "redis", "mariadb", "rocketmq-broker",
        "prometheus");
    assertNoneReach(strangers, "stock-service", 8081);
    assertNoneReach(strangers, "order-worker", 8082);
    assertDenied("stock-service", "order-worker", 8082);
    assertAllowed("gateway", "order-worker", 8082);
    assertAllowed("order-worker", "stock-service", 8081);
  }

  @Test
  void onlyTheServicesAndTheTopicsJobReachTheBroker() {
    for (String caller : List.of("gateway", "redis", "mariadb", "stray-pod", "other-namespace-pod", "internet")) {
      assertDenied(caller, "rocketmq-broker", 10911);
      assertDenied(caller, "rocketmq-namesrv", 9876);
    }
    for (String caller : List.of("stock-service", "order-worker", "rocketmq-topics")) {
      for (int port : List.of(10909, 10912)) {
        assertDenied(caller, "rocketmq-broker", port);
      }
    }
  }

  @Test
  void metricsPortsAreOpenOnlyToPrometheus() {
    Map<String, Integer> metrics = Map.of("gateway", 9080, "stock-service", 9081, "order-worker", 9082,
        "rocketmq-broker", 5557, "redis-exporter", 9121, "mysql-exporter", 9104);
    metrics.forEach((target, port) -> {
      assertAllowed("prometheus", target, port);
      for (String caller : List.of("internet", "other-namespace-pod", "monitoring-namespace-pod", "stray-pod", "gateway",
          "stock-service", "order-worker", "redis-exporter", "mysql-exporter")) {
        assertDenied(caller, target, port);
      }
    });
  }

  @Test
  void onlyPrometheusReachesTheApiServerAndNothingReachesPrometheus() {
    for (Endpoint from : endpoints.values()) {
      if (NAMESPACE.equals(from.namespace()) && !from.name().equals("prometheus")) {
        for (Port port : endpoint("kube-apiserver").ports()) {
          assertDenied(from.name(), "kube-apiserver", port.number());
        }
      }
      if (!from.name().equals("prometheus")) {
        assertDenied(from.name(), "prometheus", 9090);
      }
    }
    assertAllowed("prometheus", "kube-apiserver", apiPort);
    assertDenied("prometheus", "internet", 443);
  }

  @Test
  void nothingInTheNamespaceReachesTheInternet() {
    for (Endpoint from : endpoints.values()) {
      if (NAMESPACE.equals(from.namespace())) {
        assertDenied(from.name(), "internet", 443);
      }
    }
  }

  private static void assertAllowed(String from, String to, int port) {
    assertTrue(graph.allows(endpoint(from), endpoint(to), Port.tcp(port)), from + " must reach " + to + ":" + port);
  }

  private static void assertNoneReach(List<String> callers, String to, int port) {
    for (String caller : callers) {
      assertDenied(caller, to, port);
    }
  }

  private static void assertDenied(String from, String to, int port) {
    assertFalse(graph.allows(endpoint(from), endpoint(to), Port.tcp(port)), from + " must not reach " + to + ":" + port);
  }

  private static Endpoint endpoint(String name) {
    Endpoint endpoint = endpoints.get(name);
    if (endpoint == null) {
      throw new AssertionError("no endpoint " + name + " in the graph");
    }
    return endpoint;
  }
}
