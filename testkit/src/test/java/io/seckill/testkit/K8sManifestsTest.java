package io.seckill.testkit;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import static io.seckill.testkit.K8sManifests.NAME_LABEL;
import static io.seckill.testkit.K8sManifests.templateOf;
import static io.seckill.testkit.K8sManifests.where;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The k8s/ manifests parse into typed objects, and follow the rules a deploy relies on that the
 * parser alone does not check (probes, resources, selectors, pinned images, settings wiring), and
 * the rules that keep the internal surface closed: a Secret per workload with only what it uses,
 * non-root pods on a read-only root, metrics on a management port no Service exposes, client
 * addresses kept at the public door. Who may connect to whom is NetworkPolicyGraphTest's.
 */
class K8sManifestsTest {

  private static final List<String> SERVICES = List.of("stock-service", "order-worker", "gateway");

  /** Each service's management port and the variable that sets it. */
  private static final Map<String, Integer> MANAGEMENT_PORTS =
      Map.of("gateway", 9080, "stock-service", 9081, "order-worker", 9082);
  private static final Map<String, String> MANAGEMENT_PORT_VARIABLES = Map.of(
      "gateway", "SECKILL_GATEWAY_MANAGEMENT_PORT",
      "stock-service", "SECKILL_STOCK_MANAGEMENT_PORT",
      "order-worker", "SECKILL_ORDER_MANAGEMENT_PORT");

  /** What each Secret may hold: exactly what the workload of the same name reads. */
  private static final Map<String, Set<String>> SECRET_KEYS = Map.of(
      "gateway-secrets", Set.of("SECKILL_JWT_SECRET", "SECKILL_GATEWAY_CREDENTIAL", "SECKILL_POW_SECRET"),
      "stock-service-secrets", Set.of("SECKILL_GATEWAY_CREDENTIAL", "SECKILL_WORKER_CREDENTIAL", "SECKILL_REDIS_PASSWORD"),
      "order-worker-secrets", Set.of("SECKILL_GATEWAY_CREDENTIAL", "SECKILL_WORKER_CREDENTIAL", "SECKILL_MYSQL_PASSWORD"),
      "redis-secrets", Set.of("REDIS_PASSWORD"),
      "mariadb-secrets", Set.of("MARIADB_PASSWORD", "MARIADB_ROOT_PASSWORD"),
      "redis-exporter-secrets", Set.of("REDIS_PASSWORD"),
      "mysql-exporter-secrets", Set.of("MYSQLD_EXPORTER_PASSWORD"));

  /** Every secret value each workload's pods can read, as "secret/key". */
  private static final Map<String, Set<String>> SECRETS_SEEN = Map.ofEntries(
      Map.entry("gateway", Set.of("gateway-secrets/SECKILL_JWT_SECRET", "gateway-secrets/SECKILL_GATEWAY_CREDENTIAL",
          "gateway-secrets/SECKILL_POW_SECRET")),
      Map.entry("stock-service", Set.of("stock-service-secrets/SECKILL_GATEWAY_CREDENTIAL",
          "stock-service-secrets/SECKILL_WORKER_CREDENTIAL", "stock-service-secrets/SECKILL_REDIS_PASSWORD")),
      Map.entry("order-worker", Set.of("order-worker-secrets/SECKILL_GATEWAY_CREDENTIAL",
          "order-worker-secrets/SECKILL_WORKER_CREDENTIAL", "order-worker-secrets/SECKILL_MYSQL_PASSWORD")),
      Map.entry("redis", Set.of("redis-secrets/REDIS_PASSWORD")),
      // the Job that forms the Redis Cluster authenticates to every node as the nodes do to each other
      Map.entry("redis-cluster-create", Set.of("redis-secrets/REDIS_PASSWORD")),
      Map.entry("mariadb", Set.of("mariadb-secrets/MARIADB_PASSWORD", "mariadb-secrets/MARIADB_ROOT_PASSWORD")),
      Map.entry("rocketmq-namesrv", Set.of()),
      Map.entry("rocketmq-broker", Set.of()),
      Map.entry("rocketmq-topics", Set.of()),
      Map.entry("prometheus", Set.of()),
      Map.entry("redis-exporter", Set.of("redis-exporter-secrets/REDIS_PASSWORD")),
      Map.entry("mysql-exporter", Set.of("mysql-exporter-secrets/MYSQLD_EXPORTER_PASSWORD")));

  /** The only pods that mount a service account token, and why: they call the Kubernetes API. */
  private static final Set<String> API_CLIENTS = Set.of("prometheus"); // kubernetes_sd pod discovery

  /** One credential held by several workloads: the same value in each of their Secrets. */
  private static final List<List<String>> SAME_VALUE = List.of(
      List.of("gateway-secrets/SECKILL_GATEWAY_CREDENTIAL", "stock-service-secrets/SECKILL_GATEWAY_CREDENTIAL",
          "order-worker-secrets/SECKILL_GATEWAY_CREDENTIAL"),
      List.of("stock-service-secrets/SECKILL_WORKER_CREDENTIAL", "order-worker-secrets/SECKILL_WORKER_CREDENTIAL"),
      List.of("stock-service-secrets/SECKILL_REDIS_PASSWORD", "redis-secrets/REDIS_PASSWORD",
          "redis-exporter-secrets/REDIS_PASSWORD"),
      List.of("order-worker-secrets/SECKILL_MYSQL_PASSWORD", "mariadb-secrets/MARIADB_PASSWORD",
          "mysql-exporter-secrets/MYSQLD_EXPORTER_PASSWORD"));

  private static K8sManifests k8s;
  private static List<HasMetadata> objects;
  private static String readme;

  @BeforeAll
  static void parse() throws IOException {
    k8s = K8sManifests.load();
    objects = k8s.objects;
    readme = Files.readString(ServiceProcess.repoRoot().resolve("README.md"));
  }

  @Test
  void everyObjectIsNamespacedAndLabelled() {
    assertTrue(objects.size() >= 15, "expected every component, parsed " + objects.size());
    for (HasMetadata o : objects) {
      String where = where(o);
      if (!"Namespace".equals(o.getKind())) {
        assertEquals("seckill", o.getMetadata().getNamespace(), where + " namespace");
      }
      assertEquals("seckill", o.getMetadata().getLabels().get("app.kubernetes.io/part-of"), where + " part-of label");
    }
  }

  @Test
  void noFieldIsUnknownToTheKubernetesApi() {
    // A misspelt field (readOnlyRootFilesytem, externalTraficPolicy) parses without complaint into
    // fabric8's additionalProperties and the API server drops it: the setting silently is not there.
    List<String> unknown = new ArrayList<>();
    for (HasMetadata o : objects) {
      collectUnknownFields(o, where(o), unknown, new IdentityHashMap<>());
    }
    assertEquals(List.of(), unknown, "fields the Kubernetes API does not know");
  }

  @Test
  void everyWorkloadHasProbesResourcesAndPinnedImages() {
    for (HasMetadata o : k8s.workloads()) {
      PodTemplateSpec template = templateOf(o);
      String where = where(o);
      for (Container c : template.getSpec().getContainers()) {
        String image = c.getImage();
        assertTrue(image.contains(":") && !image.endsWith(":latest"), where + " pins its image: " + image);
        assertNotNull(c.getResources().getRequests().get("memory"), where + " requests memory");
        assertNotNull(c.getResources().getLimits().get("memory"), where + " limits memory");
        if (!(o instanceof Job)) {
          assertNotNull(c.getReadinessProbe(), where + " has a readiness probe");
          assertNotNull(c.getLivenessProbe(), where + " has a liveness probe");
          assertNotNull(c.getResources().getRequests().get("cpu"), where + " requests cpu");
        }
      }
      if (!(o instanceof Job)) {
        Map<String, String> selector = o instanceof Deployment d ? d.getSpec().getSelector().getMatchLabels()
            : ((StatefulSet) o).getSpec().getSelector().getMatchLabels();
        assertTrue(template.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
            where + " selector matches its pod labels");
      }
      assertNotNull(template.getMetadata().getLabels().get(NAME_LABEL), where + " pods carry " + NAME_LABEL);
    }
  }

  @Test
  void everyPodRunsAsNonRootOnAReadOnlyRootWithNoCapabilityAndNoToken() {
    for (HasMetadata o : k8s.workloads()) {
      String where = where(o);
      PodSpec pod = templateOf(o).getSpec();
      PodSecurityContext podContext = pod.getSecurityContext();
      boolean apiClient = API_CLIENTS.contains(templateOf(o).getMetadata().getLabels().get(NAME_LABEL));
      // an API client says so explicitly; every other pod must refuse the token, not inherit a default
      assertEquals(apiClient, pod.getAutomountServiceAccountToken(),
          where + (apiClient ? " mounts its service account token" : " mounts no service account token"));
      assertNull(pod.getHostNetwork(), where + " stays off the host network");
      assertNull(pod.getHostPID(), where + " stays out of the host PID namespace");
      List<Container> containers = new ArrayList<>(pod.getContainers());
      containers.addAll(Objects.requireNonNullElse(pod.getInitContainers(), List.of()));
      for (Container c : containers) {
        String at = where + " container " + c.getName();
        SecurityContext sc = c.getSecurityContext();
        assertNotNull(sc, at + " has a securityContext");
        assertEquals(Boolean.TRUE, effective(sc.getRunAsNonRoot(), podContext, PodSecurityContext::getRunAsNonRoot),
            at + " runAsNonRoot");
        Long user = effective(sc.getRunAsUser(), podContext, PodSecurityContext::getRunAsUser);
        // numeric, so the kubelet can check runAsNonRoot without trusting the image's USER line
        assertTrue(user != null && user > 0, at + " runs as a numeric non-root user, was " + user);
        SeccompProfile seccomp = effective(sc.getSeccompProfile(), podContext, PodSecurityContext::getSeccompProfile);
        assertEquals("RuntimeDefault", seccomp == null ? null : seccomp.getType(), at + " seccomp profile");
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), at + " allowPrivilegeEscalation");
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), at + " readOnlyRootFilesystem");
        assertFalse(Boolean.TRUE.equals(sc.getPrivileged()), at + " is not privileged");
        Capabilities capabilities = sc.getCapabilities();
        assertTrue(capabilities != null && capabilities.getDrop().contains("ALL"), at + " drops ALL capabilities");
        assertTrue(capabilities.getAdd() == null || capabilities.getAdd().isEmpty(), at + " adds no capability");
        // a read-only root needs somewhere to write temporary files (JVM, Netty, mysqld, the shell)
        assertTrue(emptyDirMountedAt(pod, c, "/tmp"), at + " mounts an emptyDir at /tmp");
        for (VolumeMount mount : Objects.requireNonNullElse(c.getVolumeMounts(), List.<VolumeMount>of())) {
          assertTrue(pod.getVolumes() != null && pod.getVolumes().stream().anyMatch(v -> v.getName().equals(mount.getName()))
                  || volumeClaimNames(o).contains(mount.getName()),
              at + " mounts volume " + mount.getName() + " that the pod does not define");
        }
      }
    }
  }

  @Test
  void servicesUseHealthEndpointsAndTakeSettingsFromConfigMapAndTheirOwnSecret() {
    for (String name : SERVICES) {
      Container c = container(name);
      assertEquals("/health/ready", c.getReadinessProbe().getHttpGet().getPath(), name);
      assertEquals("/health/live", c.getLivenessProbe().getHttpGet().getPath(), name);
      List<String> sources = c.getEnvFrom().stream().map(K8sManifestsTest::sourceName).toList();
      assertEquals(List.of("configmap:seckill-config", "secret:" + name + "-secrets"), sources, name + " envFrom");
    }
    ConfigMap config = k8s.find(ConfigMap.class, "seckill-config");
    for (String key : config.getData().keySet()) {
      assertTrue(readme.contains("`" + key + "`"), key + " is documented in the README settings table");
      assertFalse(key.contains("PASSWORD") || key.contains("SECRET") || key.contains("CREDENTIAL"),
          key + " is a secret and belongs in a Secret, not the shared ConfigMap");
    }
  }

  @Test
  void eachSecretHoldsOnlyWhatItsWorkloadUses() {
    Map<String, Secret> secrets = new TreeMap<>();
    k8s.all(Secret.class).forEach(s -> secrets.put(s.getMetadata().getName(), s));
    assertEquals(new TreeSet<>(SECRET_KEYS.keySet()), secrets.keySet(), "one Secret per workload, no shared one");
    secrets.forEach((name, secret) -> {
      assertTrue(secret.getData() == null || secret.getData().isEmpty(),
          name + " keeps placeholders in stringData, no base64 data committed");
      assertEquals(new TreeSet<>(SECRET_KEYS.get(name)), new TreeSet<>(secret.getStringData().keySet()), name + " keys");
    });
  }

  @Test
  void eachWorkloadReadsOnlyItsOwnSecrets() {
    Map<String, Set<String>> seen = new TreeMap<>();
    for (HasMetadata o : k8s.workloads()) {
      PodTemplateSpec template = templateOf(o);
      seen.put(template.getMetadata().getLabels().get(NAME_LABEL), secretsSeenBy(template.getSpec()));
    }
    assertEquals(new TreeMap<>(SECRETS_SEEN), seen, "secret values each workload's pods can read");
    Set<String> gateway = seen.get("gateway");
    for (String forbidden : List.of("MARIADB_ROOT_PASSWORD", "MARIADB_PASSWORD", "SECKILL_MYSQL_PASSWORD",
        "REDIS_PASSWORD", "SECKILL_REDIS_PASSWORD", "SECKILL_WORKER_CREDENTIAL")) {
      assertTrue(gateway.stream().noneMatch(s -> s.endsWith("/" + forbidden)), "the public gateway never holds " + forbidden);
    }
  }

  @Test
  void everySecretAndConfigMapAPodReadsExistsWithTheKeysItNames() {
    // A reference to a Secret or key that does not exist leaves the pod in CreateContainerConfigError
    // (an optional one starts it without the value): the exporters once read a seckill-secrets that
    // the split into one Secret per workload had removed.
    Map<String, Set<String>> secrets = new TreeMap<>();
    k8s.all(Secret.class).forEach(s -> secrets.put(s.getMetadata().getName(), s.getStringData().keySet()));
    Map<String, Set<String>> configMaps = new TreeMap<>();
    k8s.all(ConfigMap.class).forEach(c -> configMaps.put(c.getMetadata().getName(),
        Objects.requireNonNullElse(c.getData(), Map.<String, String>of()).keySet()));
    List<String> missing = new ArrayList<>();
    for (HasMetadata o : k8s.workloads()) {
      PodSpec pod = templateOf(o).getSpec();
      List<Container> containers = new ArrayList<>(pod.getContainers());
      containers.addAll(Objects.requireNonNullElse(pod.getInitContainers(), List.of()));
      for (Container c : containers) {
        String at = where(o) + " container " + c.getName();
        for (EnvFromSource source : Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
          if (source.getSecretRef() != null) {
            checkReference(missing, at + " envFrom", secrets, "Secret", source.getSecretRef().getName(), null);
          }
          if (source.getConfigMapRef() != null) {
            checkReference(missing, at + " envFrom", configMaps, "ConfigMap", source.getConfigMapRef().getName(), null);
          }
        }
        for (EnvVar variable : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
          if (variable.getValueFrom() == null) {
            continue;
          }
          String env = at + " env " + variable.getName();
          SecretKeySelector secret = variable.getValueFrom().getSecretKeyRef();
          if (secret != null) {
            checkReference(missing, env, secrets, "Secret", secret.getName(), secret.getKey());
            if (Boolean.TRUE.equals(secret.getOptional())) {
              missing.add(env + " is optional: a missing secret must stop the start, not run without it");
            }
          }
          ConfigMapKeySelector config = variable.getValueFrom().getConfigMapKeyRef();
          if (config != null) {
            checkReference(missing, env, configMaps, "ConfigMap", config.getName(), config.getKey());
          }
        }
      }
      for (Volume volume : Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of())) {
        String at = where(o) + " volume " + volume.getName();
        if (volume.getSecret() != null) {
          checkReference(missing, at, secrets, "Secret", volume.getSecret().getSecretName(), null);
        }
        if (volume.getConfigMap() != null) {
          checkReference(missing, at, configMaps, "ConfigMap", volume.getConfigMap().getName(), null);
        }
      }
    }
    assertEquals(List.of(), missing, "references to Secrets, ConfigMaps or keys that no manifest defines, or optional secrets");
  }

  private static void checkReference(List<String> missing, String at, Map<String, Set<String>> defined, String kind,
      String name, String key) {
    if (!defined.containsKey(name)) {
      missing.add(at + " -> " + kind + "/" + name + " does not exist");
    } else if (key != null && !defined.get(name).contains(key)) {
      missing.add(at + " -> " + kind + "/" + name + " has no key " + key);
    }
  }

  @Test
  void secretValuesArePlaceholdersAndASharedCredentialHasOneValue() {
    Map<String, String> values = new TreeMap<>();
    for (Secret secret : k8s.all(Secret.class)) {
      secret.getStringData().forEach((key, value) -> values.put(secret.getMetadata().getName() + "/" + key, value));
    }
    values.forEach((key, value) -> assertTrue(value.contains("replace-me"),
        key + " is a placeholder the services refuse outside SECKILL_ENV=local, not a real secret"));
    for (List<String> group : SAME_VALUE) {
      Set<String> distinct = new TreeSet<>(group.stream().map(values::get).toList());
      assertEquals(1, distinct.size(), group + " hold one credential and must agree");
    }
  }

  @Test
  void redisRequiresThePasswordOnlyStockServiceHolds() {
    Container redis = k8s.podsOf("redis").getSpec().getContainers().get(0);
    List<String> args = redis.getArgs();
    int requirepass = args.indexOf("--requirepass");
    assertTrue(requirepass >= 0 && requirepass + 1 < args.size(), "redis runs with --requirepass: " + args);
    assertEquals("$(REDIS_PASSWORD)", args.get(requirepass + 1), "the password comes from the environment, not the manifest");
    EnvVar password = redis.getEnv().stream().filter(e -> e.getName().equals("REDIS_PASSWORD")).findFirst()
        .orElseThrow(() -> new AssertionError("redis has no REDIS_PASSWORD variable"));
    SecretKeySelector ref = password.getValueFrom().getSecretKeyRef();
    assertEquals("redis-secrets/REDIS_PASSWORD", ref.getName() + "/" + ref.getKey());
    assertEquals("yes", args.get(args.indexOf("--appendonly") + 1), "redis keeps its AOF");
    assertTrue(String.join(" ", redis.getReadinessProbe().getExec().getCommand()).contains("PONG"),
        "the readiness probe wants PONG: redis-cli exits 0 on a NOAUTH error");
  }

  @Test
  void redisIsAClusterOfSixFormedByAJobAndStockServiceSeedsFromEveryNode() {
    io.fabric8.kubernetes.api.model.apps.StatefulSet redis = k8s.find(io.fabric8.kubernetes.api.model.apps.StatefulSet.class, "redis");
    assertEquals(6, redis.getSpec().getReplicas(), "3 masters and a replica each");
    List<String> args = redis.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertEquals("yes", args.get(args.indexOf("--cluster-enabled") + 1));
    assertEquals("/data/nodes.conf", args.get(args.indexOf("--cluster-config-file") + 1),
        "the node's identity is on its volume, so a restarted pod rejoins as itself");
    assertEquals("$(REDIS_PASSWORD)", args.get(args.indexOf("--masterauth") + 1), "replicas authenticate to their master");
    assertEquals("always", args.get(args.indexOf("--appendfsync") + 1), "each node fsyncs its AOF as the one Redis did");
    io.fabric8.kubernetes.api.model.Service service = k8s.find(io.fabric8.kubernetes.api.model.Service.class, "redis");
    assertEquals("None", service.getSpec().getClusterIP(), "headless: one name per node");
    io.fabric8.kubernetes.api.model.batch.v1.Job create =
        k8s.find(io.fabric8.kubernetes.api.model.batch.v1.Job.class, "redis-cluster-create");
    String script = String.join(" ", create.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand());
    assertTrue(script.contains("--cluster create") && script.contains("--cluster-replicas 1"), script);
    assertTrue(script.contains("cluster_known_nodes:6"), "a formed cluster is left alone: " + script);
    String nodes = k8s.find(ConfigMap.class, "seckill-config").getData().get("SECKILL_REDIS_NODES");
    for (int i = 0; i < 6; i++) {
      assertTrue(nodes.contains("redis-" + i + ".redis:6379"), "stock-service seeds from redis-" + i + ": " + nodes);
    }
  }

  @Test
  void redisHasAMemoryLimitBelowItsContainersAndNeverEvicts() {
    Container redis = k8s.podsOf("redis").getSpec().getContainers().get(0);
    List<String> args = redis.getArgs();
    assertEquals("noeviction", args.get(args.indexOf("--maxmemory-policy") + 1), "inventory keys are never evicted");
    assertEquals("$(SECKILL_REDIS_MAXMEMORY)", args.get(args.indexOf("--maxmemory") + 1), "maxmemory is set: " + args);
    String maxmemory = env(redis, "SECKILL_REDIS_MAXMEMORY");
    java.util.regex.Matcher mb = java.util.regex.Pattern.compile("([0-9]+)mb").matcher(maxmemory);
    assertTrue(mb.matches(), "SECKILL_REDIS_MAXMEMORY in Redis's mb: " + maxmemory);
    long bytes = Long.parseLong(mb.group(1)) * 1024 * 1024;
    long limit = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
        redis.getResources().getLimits().get("memory")).longValue();
    // without it alert RedisMemoryNearLimit can never fire; at the container limit the kernel kills Redis first
    assertTrue(bytes > 0 && bytes <= limit * 0.85, "maxmemory " + maxmemory + " leaves room below the limit " + limit);
  }

  @Test
  void servicesListenOnThePodAddressWithANamedManagementPortThatIsScrapedAndProbed() {
    for (String name : SERVICES) {
      PodTemplateSpec template = k8s.podsOf(name);
      Container c = template.getSpec().getContainers().get(0);
      int management = MANAGEMENT_PORTS.get(name);
      assertEquals("0.0.0.0", env(c, "SECKILL_BIND_HOST"), name + " binds the pod address, not loopback");
      assertEquals(String.valueOf(management), env(c, MANAGEMENT_PORT_VARIABLES.get(name)), name + " management port variable");
      ContainerPort port = c.getPorts().stream().filter(p -> "management".equals(p.getName())).findFirst()
          .orElseThrow(() -> new AssertionError(name + " declares no port named management"));
      assertEquals(management, port.getContainerPort(), name + " management containerPort");
      Map<String, String> annotations = template.getMetadata().getAnnotations();
      assertEquals("true", annotations.get("prometheus.io/scrape"), name + " is scraped");
      assertEquals(String.valueOf(management), annotations.get("prometheus.io/port"), name + " is scraped on its management port");
      assertEquals("/metrics", annotations.get("prometheus.io/path"), name + " scrape path");
      for (Probe probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
        assertEquals("management", probe.getHttpGet().getPort().getStrVal(), name + " is probed on its management port");
      }
    }
  }

  @Test
  void noServiceExposesAManagementPort() {
    for (Service service : k8s.all(Service.class)) {
      for (ServicePort port : service.getSpec().getPorts()) {
        IntOrString target = port.getTargetPort();
        boolean management = "management".equals(target.getStrVal())
            || MANAGEMENT_PORTS.containsValue(Objects.requireNonNullElse(target.getIntVal(), 0))
            || MANAGEMENT_PORTS.containsValue(port.getPort());
        assertFalse(management,
            "Service/" + service.getMetadata().getName() + " exposes a management port: " + port);
      }
    }
  }

  @Test
  void gatewayPublicKeepsTheClientAddressAndExposesOnlyThePublicPort() {
    Service pub = k8s.find(Service.class, "gateway-public");
    assertEquals("LoadBalancer", pub.getSpec().getType());
    assertEquals("Local", pub.getSpec().getExternalTrafficPolicy(),
        "without Local the gateway sees a node's address and the per-IP limit counts nodes");
    assertEquals(List.of("http"), pub.getSpec().getPorts().stream().map(p -> p.getTargetPort().getStrVal()).toList(),
        "gateway-public targets the public port only");
    ContainerPort http = container("gateway").getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow();
    assertEquals(8080, http.getContainerPort());
    String trusted = k8s.find(ConfigMap.class, "seckill-config").getData().get("SECKILL_TRUSTED_PROXIES");
    assertTrue(trusted != null && trusted.isBlank(),
        "the load balancer passes the client address itself: no X-Forwarded-For is to be believed, was " + trusted);
  }

  @Test
  void theNamespaceEnforcesTheRestrictedPodSecurityProfile() {
    HasMetadata namespace = objects.stream().filter(o -> "Namespace".equals(o.getKind())).findFirst().orElseThrow();
    assertEquals("restricted", namespace.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
  }

  @Test
  void everyServiceSelectsAWorkloadAndTargetsOneOfItsPorts() {
    for (Service service : k8s.all(Service.class)) {
      Map<String, String> selector = service.getSpec().getSelector();
      List<Container> containers = k8s.workloads().stream().map(K8sManifests::templateOf)
          .filter(t -> t.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
          .flatMap(t -> t.getSpec().getContainers().stream()).toList();
      assertFalse(containers.isEmpty(), "Service/" + service.getMetadata().getName() + " selects no pods");
      for (ServicePort port : service.getSpec().getPorts()) {
        IntOrString target = port.getTargetPort();
        boolean found = containers.stream().flatMap(c -> c.getPorts().stream()).anyMatch(p -> matches(p, target));
        assertTrue(found, "Service/" + service.getMetadata().getName() + " targets port " + target + " that no container exposes");
      }
    }
  }

  private static Container container(String name) {
    return k8s.find(Deployment.class, name).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static String env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
  }

  private static <T> T effective(T containerValue, PodSecurityContext pod, Function<PodSecurityContext, T> podValue) {
    return containerValue != null ? containerValue : pod == null ? null : podValue.apply(pod);
  }

  private static boolean emptyDirMountedAt(PodSpec pod, Container c, String path) {
    return Objects.requireNonNullElse(c.getVolumeMounts(), List.<VolumeMount>of()).stream()
        .filter(m -> path.equals(m.getMountPath()) && !Boolean.TRUE.equals(m.getReadOnly()))
        .anyMatch(m -> pod.getVolumes().stream().anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null));
  }

  private static Set<String> volumeClaimNames(HasMetadata o) {
    if (o instanceof StatefulSet s && s.getSpec().getVolumeClaimTemplates() != null) {
      return Set.copyOf(s.getSpec().getVolumeClaimTemplates().stream().map(t -> t.getMetadata().getName()).toList());
    }
    return Set.of();
  }

  /** "secret/key" for every secret value the pod's containers can read: envFrom, env, volumes. */
  private static Set<String> secretsSeenBy(PodSpec pod) {
    Set<String> seen = new TreeSet<>();
    List<Container> containers = new ArrayList<>(pod.getContainers());
    containers.addAll(Objects.requireNonNullElse(pod.getInitContainers(), List.of()));
    for (Container c : containers) {
      for (EnvFromSource source : Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
        if (source.getSecretRef() != null) {
          seen.addAll(allKeysOf(source.getSecretRef().getName()));
        }
      }
      for (EnvVar variable : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
        if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
          SecretKeySelector ref = variable.getValueFrom().getSecretKeyRef();
          seen.add(ref.getName() + "/" + ref.getKey());
        }
      }
    }
    for (Volume volume : Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of())) {
      if (volume.getSecret() != null) {
        seen.addAll(allKeysOf(volume.getSecret().getSecretName()));
      }
      if (volume.getProjected() != null) {
        volume.getProjected().getSources().stream().filter(s -> s.getSecret() != null)
            .forEach(s -> seen.addAll(allKeysOf(s.getSecret().getName())));
      }
    }
    return seen;
  }

  private static List<String> allKeysOf(String secretName) {
    return k8s.find(Secret.class, secretName).getStringData().keySet().stream().map(k -> secretName + "/" + k).toList();
  }

  /** Walks fabric8's model and lists every field that landed in an additionalProperties map. */
  private static void collectUnknownFields(Object node, String path, List<String> unknown, Map<Object, Boolean> visited) {
    if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean || node instanceof Enum<?>) {
      return;
    }
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        collectUnknownFields(item, path + "[" + i++ + "]", unknown, visited);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collectUnknownFields(v, path + "." + k, unknown, visited));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model") || visited.put(node, true) != null) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
        continue;
      }
      Object value = invoke(getter, node);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra) {
          extra.keySet().forEach(k -> unknown.add(path + "." + k));
        }
        continue;
      }
      String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
      collectUnknownFields(value, path + "." + field, unknown, visited);
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new AssertionError("cannot read " + getter + " of " + target.getClass().getName(), e);
    }
  }

  private static boolean matches(ContainerPort port, IntOrString target) {
    return target.getStrVal() != null ? target.getStrVal().equals(port.getName())
        : target.getIntVal().equals(port.getContainerPort());
  }

  private static String sourceName(EnvFromSource source) {
    if (source.getConfigMapRef() != null) {
      return "configmap:" + source.getConfigMapRef().getName();
    }
    return source.getSecretRef() != null ? "secret:" + source.getSecretRef().getName() : "other";
  }
}
