package io.seckill.testkit;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.seckill.testkit.NetworkPolicyGraph.Endpoint;
import io.seckill.testkit.NetworkPolicyGraph.Port;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evaluator behind NetworkPolicyGraphTest follows the NetworkPolicy rules that the graph of
 * k8s/ relies on; each case is a small policy whose answer the Kubernetes documentation states.
 */
class NetworkPolicyGraphSemanticsTest {

  private static final Map<String, Map<String, String>> NAMESPACES = Map.of(
      "a", Map.of("kubernetes.io/metadata.name", "a"),
      "b", Map.of("kubernetes.io/metadata.name", "b", "team", "ops"));
  private static final Endpoint WEB = new Endpoint("web", "a", Map.of("app", "web"),
      List.of(new Port(80, "TCP", "http"), new Port(53, "UDP", "dns")));
  private static final Endpoint DB = new Endpoint("db", "a", Map.of("app", "db"), List.of(new Port(5432, "TCP", "pg")));
  private static final Endpoint OPS = new Endpoint("ops", "b", Map.of("app", "web"), List.of(Port.tcp(9000)));
  private static final Endpoint INTERNET = Endpoint.outside("internet", Port.tcp(443));

  /** Namespace a closed both ways: only what another policy allows passes. */
  private static final String DENY_ALL = """
      metadata: {name: deny, namespace: a}
      spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
      """;
  private static final String DB_FROM_WEB = policy("db-in", "db",
      "ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432}]}]");

  @Test
  void withoutPoliciesEverythingIsOpen() {
    NetworkPolicyGraph graph = graph();
    assertTrue(graph.allows(WEB, DB, Port.tcp(5432)));
    assertTrue(graph.allows(INTERNET, DB, Port.tcp(5432)));
  }

  @Test
  void aPolicyWithoutPolicyTypesClosesOnlyIngressUnlessItHasEgressRules() {
    NetworkPolicyGraph graph = graph(policy("p", "db"));
    assertFalse(graph.allows(WEB, DB, Port.tcp(5432)), "ingress of db is closed");
    assertTrue(graph.allows(DB, WEB, Port.tcp(80)), "egress of db stays open");
  }

  @Test
  void bothEndsMustAgree() {
    NetworkPolicyGraph graph = graph(DENY_ALL, DB_FROM_WEB);
    assertFalse(graph.allows(WEB, DB, Port.tcp(5432)), "web has no egress rule to db");
    NetworkPolicyGraph opened = graph(DENY_ALL, DB_FROM_WEB, policy("web-out", "web", "policyTypes: [Egress]",
        "egress: [{to: [{podSelector: {matchLabels: {app: db}}}], ports: [{port: pg}]}]"));
    assertTrue(opened.allows(WEB, DB, Port.tcp(5432)), "named port pg resolves to 5432 on db");
    assertFalse(opened.allows(WEB, DB, new Port(5432, "UDP", null)), "the protocol defaults to TCP");
    assertFalse(opened.allows(DB, WEB, Port.tcp(80)), "allowing one way opens nothing the other way");
  }

  @Test
  void aPodSelectorAloneMeansThePolicysNamespaceAndTogetherWithANamespaceSelectorBothMustMatch() {
    NetworkPolicyGraph podOnly = graph(policy("p", "db", "ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]"));
    assertTrue(podOnly.allows(WEB, DB, Port.tcp(5432)));
    assertFalse(podOnly.allows(OPS, DB, Port.tcp(5432)), "app=web in namespace b is not selected");

    NetworkPolicyGraph both = graph(policy("p", "db",
        "ingress: [{from: [{namespaceSelector: {matchLabels: {team: ops}}, podSelector: {matchLabels: {app: db}}}]}]"));
    assertFalse(both.allows(OPS, DB, Port.tcp(5432)), "namespace matches, pod does not");
    NetworkPolicyGraph either = graph(policy("p", "db",
        "ingress: [{from: [{namespaceSelector: {matchLabels: {team: ops}}}, {podSelector: {matchLabels: {app: db}}}]}]"));
    assertTrue(either.allows(OPS, DB, Port.tcp(5432)), "two peers: either one suffices");
    assertFalse(either.allows(WEB, DB, Port.tcp(5432)));
  }

  @Test
  void anEmptyPeerListIsEveryoneAndTheOutsideMatchesNothingElse() {
    NetworkPolicyGraph open = graph(policy("p", "web", "ingress: [{ports: [{port: 80}]}]"));
    assertTrue(open.allows(INTERNET, WEB, Port.tcp(80)));
    assertFalse(open.allows(INTERNET, WEB, new Port(53, "UDP", "dns")), "only the listed port");
    NetworkPolicyGraph everyNamespace = graph(policy("p", "web", "ingress: [{from: [{namespaceSelector: {}}]}]"));
    assertTrue(everyNamespace.allows(OPS, WEB, Port.tcp(80)));
    assertFalse(everyNamespace.allows(INTERNET, WEB, Port.tcp(80)), "a namespaceSelector never matches the outside");
  }

  @Test
  void portRangesAndSelectorExpressions() {
    NetworkPolicyGraph graph = graph("""
        metadata: {name: p, namespace: a}
        spec:
          podSelector: {matchExpressions: [{key: app, operator: In, values: [db, cache]}]}
          ingress: [{from: [{podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [db]}]}}],
                     ports: [{port: 5000, endPort: 6000}]}]
        """);
    assertTrue(graph.allows(WEB, DB, Port.tcp(5432)));
    assertFalse(graph.allows(WEB, DB, Port.tcp(6001)));
    assertFalse(graph.allows(DB, DB, Port.tcp(5432)), "NotIn [db] excludes db");
  }

  @Test
  void anIpBlockMatchesAddressesInItsCidrButNotItsExceptsAndNeverAPod() {
    NetworkPolicyGraph graph = graph(policy("p", "web", "policyTypes: [Egress]",
        "egress: [{to: [{ipBlock: {cidr: 192.0.2.0/24, except: [192.0.2.128/25]}}], ports: [{port: 443}]}]"));
    assertTrue(graph.allows(WEB, Endpoint.outside("api", "192.0.2.1", Port.tcp(443)), Port.tcp(443)));
    assertFalse(graph.allows(WEB, Endpoint.outside("api", "192.0.2.1", Port.tcp(6443)), Port.tcp(6443)), "port");
    assertFalse(graph.allows(WEB, Endpoint.outside("api", "192.0.2.200", Port.tcp(443)), Port.tcp(443)), "except");
    assertFalse(graph.allows(WEB, Endpoint.outside("api", "198.51.100.1", Port.tcp(443)), Port.tcp(443)), "outside the cidr");
    assertFalse(graph.allows(WEB, INTERNET, Port.tcp(443)), "an address unknown to the model");
    assertFalse(graph.allows(WEB, Endpoint.outside("v6", "2001:db8::1", Port.tcp(443)), Port.tcp(443)), "another family");
    assertFalse(graph.allows(WEB, DB, Port.tcp(443)), "a pod");
  }

  @Test
  void cidrContainmentCountsBitsNotOctets() {
    assertTrue(NetworkPolicyGraph.inCidr("10.0.0.0/8", "10.255.1.2"));
    assertFalse(NetworkPolicyGraph.inCidr("10.0.0.0/8", "11.0.0.1"));
    assertTrue(NetworkPolicyGraph.inCidr("172.16.0.0/12", "172.31.255.255"));
    assertFalse(NetworkPolicyGraph.inCidr("172.16.0.0/12", "172.32.0.0"));
    assertTrue(NetworkPolicyGraph.inCidr("192.0.2.1/32", "192.0.2.1"));
    assertFalse(NetworkPolicyGraph.inCidr("192.0.2.1/32", "192.0.2.2"));
    assertTrue(NetworkPolicyGraph.inCidr("0.0.0.0/0", "203.0.113.9"));
    assertTrue(NetworkPolicyGraph.inCidr("2001:db8::/32", "2001:db8:1::1"));
    assertThrows(IllegalArgumentException.class, () -> NetworkPolicyGraph.inCidr("kubernetes.default/32", "10.0.0.1"));
  }

  /**
   * The policy {@code name} of namespace a that selects the pods labelled app={@code app}; {@code spec}
   * are the other lines of its spec.
   */
  private static String policy(String name, String app, String... spec) {
    StringBuilder yaml = new StringBuilder("metadata: {name: " + name + ", namespace: a}\nspec:\n")
        .append("  podSelector: {matchLabels: {app: ").append(app).append("}}\n");
    for (String line : spec) {
      yaml.append("  ").append(line).append('\n');
    }
    return yaml.toString();
  }

  private static NetworkPolicyGraph graph(String... specs) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<NetworkPolicy> policies = Arrays.stream(specs)
        .map(yaml -> serialization.unmarshal("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n" + yaml, NetworkPolicy.class))
        .toList();
    return new NetworkPolicyGraph(policies, NAMESPACES);
  }
}
