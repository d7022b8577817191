package io.seckill.testkit;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decides, as a NetworkPolicy implementation would, whether one endpoint may open a connection to
 * another on a port. The semantics of networking.k8s.io/v1:
 * <ul>
 *   <li>A pod that no policy of its namespace selects for a direction is open in that direction;
 *       once one selects it, only what some rule of some selecting policy allows passes (policies
 *       add up, none subtracts).</li>
 *   <li>A connection needs the caller's egress and the callee's ingress to allow it.</li>
 *   <li>{@code policyTypes} absent means Ingress, plus Egress when the policy has egress rules.</li>
 *   <li>A rule with no peers matches every peer, with no ports every port. A peer with only a
 *       podSelector means pods of the policy's namespace; with a namespaceSelector, pods of the
 *       namespaces it selects (and, when both are given in one peer, both must match). A named port
 *       is resolved against the destination pod's container ports; endPort makes a range.</li>
 *   <li>Something outside the cluster (the internet, the API server) is matched by an empty peer
 *       list, or by an ipBlock whose cidr holds its address and whose except does not.</li>
 * </ul>
 * An ipBlock never matches a pod here: whether it matches pod addresses is left to the network
 * plugin, and the manifests use one only for the API server.
 */
final class NetworkPolicyGraph {

  /** A port something listens on. */
  record Port(int number, String protocol, String name) {
    Port {
      Objects.requireNonNull(protocol);
    }

    static Port tcp(int number) {
      return new Port(number, "TCP", null);
    }

    @Override
    public String toString() {
      return number + "/" + protocol;
    }
  }

  /**
   * A pod with its namespace and labels, or (namespace null) something outside the cluster, with
   * its IP address if an ipBlock is to match it. {@code ports} are where it listens.
   */
  record Endpoint(String name, String namespace, Map<String, String> labels, List<Port> ports, String address) {
    Endpoint(String name, String namespace, Map<String, String> labels, List<Port> ports) {
      this(name, namespace, labels, ports, null);
    }

    static Endpoint outside(String name, Port... ports) {
      return new Endpoint(name, null, Map.of(), List.of(ports));
    }

    static Endpoint outside(String name, String address, Port... ports) {
      return new Endpoint(name, null, Map.of(), List.of(ports), address);
    }

    boolean inCluster() {
      return namespace != null;
    }
  }

  private final List<NetworkPolicy> policies;
  private final Map<String, Map<String, String>> namespaceLabels;

  /**
   * @param namespaceLabels the labels of every namespace an endpoint lives in (include the
   *     {@code kubernetes.io/metadata.name} label the API server sets on each)
   */
  NetworkPolicyGraph(List<NetworkPolicy> policies, Map<String, Map<String, String>> namespaceLabels) {
    this.policies = List.copyOf(policies);
    this.namespaceLabels = Map.copyOf(namespaceLabels);
  }

  boolean allows(Endpoint from, Endpoint to, Port port) {
    return egressAllows(from, to, port) && ingressAllows(from, to, port);
  }

  private boolean egressAllows(Endpoint from, Endpoint to, Port port) {
    return rulesAllow(selecting(from, "Egress"), NetworkPolicySpec::getEgress, NetworkPolicyEgressRule::getTo,
        NetworkPolicyEgressRule::getPorts, to, to, port);
  }

  private boolean ingressAllows(Endpoint from, Endpoint to, Port port) {
    return rulesAllow(selecting(to, "Ingress"), NetworkPolicySpec::getIngress, NetworkPolicyIngressRule::getFrom,
        NetworkPolicyIngressRule::getPorts, from, to, port);
  }

  /**
   * One direction at one end: open when no policy selects the end, else whether a rule of a
   * selecting policy matches {@code other} (the far end) and the port on {@code to}.
   */
  private <R> boolean rulesAllow(List<NetworkPolicy> selecting, Function<NetworkPolicySpec, List<R>> rulesOf,
                                 Function<R, List<NetworkPolicyPeer>> peersOf, Function<R, List<NetworkPolicyPort>> portsOf,
                                 Endpoint other, Endpoint to, Port port) {
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy policy : selecting) {
      List<R> rules = Objects.requireNonNullElse(rulesOf.apply(policy.getSpec()), List.of());
      for (R rule : rules) {
        if (peersMatch(peersOf.apply(rule), policy, other) && portsMatch(portsOf.apply(rule), to, port)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The policies of the endpoint's namespace that select it for this direction. */
  private List<NetworkPolicy> selecting(Endpoint endpoint, String direction) {
    List<NetworkPolicy> result = new ArrayList<>();
    if (!endpoint.inCluster()) {
      return result;
    }
    for (NetworkPolicy policy : policies) {
      NetworkPolicySpec spec = policy.getSpec();
      if (endpoint.namespace().equals(policy.getMetadata().getNamespace())
          && selects(spec.getPodSelector(), endpoint.labels()) && policyTypes(spec).contains(direction)) {
        result.add(policy);
      }
    }
    return result;
  }

  private static List<String> policyTypes(NetworkPolicySpec spec) {
    if (spec.getPolicyTypes() != null && !spec.getPolicyTypes().isEmpty()) {
      return spec.getPolicyTypes();
    }
    return spec.getEgress() != null && !spec.getEgress().isEmpty() ? List.of("Ingress", "Egress") : List.of("Ingress");
  }

  private boolean peersMatch(List<NetworkPolicyPeer> peers, NetworkPolicy policy, Endpoint other) {
    if (peers == null || peers.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPeer peer : peers) {
      if (peer.getIpBlock() != null) {
        if (!other.inCluster() && other.address() != null && inBlock(peer.getIpBlock(), other.address())) {
          return true;
        }
        continue;
      }
      if (!other.inCluster()) {
        continue;
      }
      boolean namespaceMatches = peer.getNamespaceSelector() == null
          ? other.namespace().equals(policy.getMetadata().getNamespace())
          : selects(peer.getNamespaceSelector(), labelsOfNamespace(other.namespace()));
      boolean podMatches = peer.getPodSelector() == null || selects(peer.getPodSelector(), other.labels());
      if (namespaceMatches && podMatches) {
        return true;
      }
    }
    return false;
  }

  private static boolean inBlock(IPBlock block, String address) {
    return inCidr(block.getCidr(), address)
        && Objects.requireNonNullElse(block.getExcept(), List.<String>of()).stream().noneMatch(e -> inCidr(e, address));
  }

  /** Whether the address lies in the CIDR; an IPv4 address never lies in an IPv6 CIDR or back. */
  static boolean inCidr(String cidr, String address) {
    String[] parts = cidr.split("/", 2);
    if (parts.length != 2) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    byte[] network = bytes(parts[0]);
    byte[] candidate = bytes(address);
    int prefix = Integer.parseInt(parts[1]);
    if (network.length != candidate.length || prefix < 0 || prefix > network.length * 8) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((network[bit / 8] & mask) != (candidate[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] bytes(String literal) {
    // a literal only: InetAddress would resolve a name, and a policy holds none
    if (!literal.matches("[0-9a-fA-F.:]+")) {
      throw new IllegalArgumentException("not an IP address: " + literal);
    }
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal, e);
    }
  }

  private Map<String, String> labelsOfNamespace(String namespace) {
    Map<String, String> labels = namespaceLabels.get(namespace);
    if (labels == null) {
      throw new IllegalArgumentException("no labels given for namespace " + namespace);
    }
    return labels;
  }

  private static boolean portsMatch(List<NetworkPolicyPort> ports, Endpoint destination, Port port) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPort allowed : ports) {
      String protocol = Objects.requireNonNullElse(allowed.getProtocol(), "TCP");
      if (!protocol.equals(port.protocol())) {
        continue;
      }
      IntOrString number = allowed.getPort();
      if (number == null) {
        return true;
      }
      if (number.getStrVal() != null) {
        // a named port: the destination's container port of that name and protocol
        boolean named = destination.ports().stream().anyMatch(p -> number.getStrVal().equals(p.name())
            && p.protocol().equals(port.protocol()) && p.number() == port.number());
        if (named) {
          return true;
        }
        continue;
      }
      int first = number.getIntVal();
      int last = allowed.getEndPort() != null ? allowed.getEndPort() : first;
      if (port.number() >= first && port.number() <= last) {
        return true;
      }
    }
    return false;
  }

  /** matchLabels and matchExpressions; an empty selector selects everything. */
  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
        if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    List<LabelSelectorRequirement> requirements = Objects.requireNonNullElse(selector.getMatchExpressions(), List.of());
    for (LabelSelectorRequirement requirement : requirements) {
      String value = labels.get(requirement.getKey());
      List<String> values = Objects.requireNonNullElse(requirement.getValues(), List.of());
      boolean ok = switch (requirement.getOperator()) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> throw new IllegalArgumentException("unknown selector operator " + requirement.getOperator());
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
