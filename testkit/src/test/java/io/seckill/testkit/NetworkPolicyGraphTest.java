package io.seckill.testkit;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who can reach whom under the NetworkPolicies of k8s/: every pod the manifests make, plus the
 * world around them (a buyer on the internet, Prometheus in namespace monitoring, kube-dns, a pod of
 * another namespace, and a stray pod started in namespace seckill, e.g. a debug shell), tried on
 * every port each of them listens on. The allowed connections must be exactly the architecture's.
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
      "prometheus -> gateway:8080/TCP",
      "kube-dns -> gateway:8080/TCP",
      // scrapes, on the management ports only
      "prometheus -> gateway:9080/TCP",
      "prometheus -> stock-service:9081/TCP",
      "prometheus -> order-worker:9082/TCP",
      "gateway -> stock-service:8081/TCP",
      "gateway -> order-worker:8082/TCP",
      "gateway -> kube-dns:53/UDP",
      "gateway -> kube-dns:53/TCP",
      "stock-service -> redis:6379/TCP",
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
    add(Endpoint.outside("internet", Port.tcp(443)));
    add(new Endpoint("prometheus", "monitoring", Map.of(NAME_LABEL, "prometheus"), List.of(Port.tcp(9090))));
    add(new Endpoint("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"),
        List.of(new Port(53, "UDP", "dns"), new Port(53, "TCP", "dns-tcp"))));
    add(new Endpoint("other-namespace-pod", "default", Map.of("app", "other"), List.of(Port.tcp(8080))));
    add(new Endpoint("stray-pod", NAMESPACE, Map.of("run", "debug"), List.of(Port.tcp(8080))));
  }

  private static void add(Endpoint endpoint) {
    endpoints.put(endpoint.name(), endpoint);
  }

  @Test
  void exactlyTheArchitecturesFlowsAreAllowed() {
    assertTrue(endpoints.keySet().containsAll(List.of("gateway", "stock-service", "order-worker", "redis", "mariadb",
        "rocketmq-namesrv", "rocketmq-broker", "rocketmq-topics")), "every workload is in the graph: " + endpoints.keySet());
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
  void theDataStoresAnswerOnlyTheirOwnService() {
    for (String caller : List.of("gateway", "order-worker", "rocketmq-broker", "stray-pod", "internet", "prometheus")) {
      assertDenied(caller, "redis", 6379);
    }
    for (String caller : List.of("gateway", "stock-service", "rocketmq-broker", "stray-pod", "internet", "prometheus")) {
      assertDenied(caller, "mariadb", 3306);
    }
    assertAllowed("stock-service", "redis", 6379);
    assertAllowed("order-worker", "mariadb", 3306);
  }

  @Test
  void theInternalRoutesAnswerOnlyTheirCallers() {
    for (String caller : List.of("internet", "other-namespace-pod", "stray-pod", "redis", "mariadb", "rocketmq-broker", "prometheus")) {
      assertDenied(caller, "stock-service", 8081);
      assertDenied(caller, "order-worker", 8082);
    }
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
  void managementPortsAreOpenOnlyToTheMonitoringNamespace() {
    Map<String, Integer> management = Map.of("gateway", 9080, "stock-service", 9081, "order-worker", 9082);
    management.forEach((service, port) -> {
      assertAllowed("prometheus", service, port);
      for (String caller : List.of("internet", "other-namespace-pod", "stray-pod", "gateway", "stock-service", "order-worker")) {
        assertDenied(caller, service, port);
      }
    });
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
