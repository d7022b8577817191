package io.seckill.testkit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The k8s/ manifests parse into typed objects, and follow the rules a deploy relies on that the
 * parser alone does not check (probes, resources, selectors, pinned images, settings wiring).
 */
class K8sManifestsTest {

  private static final List<String> SERVICES = List.of("stock-service", "order-worker", "gateway");
  private static final List<HasMetadata> objects = new ArrayList<>();
  private static String readme;

  @BeforeAll
  static void parse() throws IOException {
    Path root = ServiceProcess.repoRoot();
    KubernetesSerialization serialization = new KubernetesSerialization();
    try (Stream<Path> files = Files.list(root.resolve("k8s"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        Object parsed = serialization.unmarshal(Files.readString(file));
        if (parsed instanceof List<?> list) {
          list.forEach(o -> objects.add((HasMetadata) o));
        } else {
          objects.add((HasMetadata) parsed);
        }
      }
    }
    readme = Files.readString(root.resolve("README.md"));
  }

  @Test
  void everyObjectIsNamespacedAndLabelled() {
    assertTrue(objects.size() >= 15, "expected every component, parsed " + objects.size());
    for (HasMetadata o : objects) {
      String where = o.getKind() + "/" + o.getMetadata().getName();
      if (!"Namespace".equals(o.getKind())) {
        assertEquals("seckill", o.getMetadata().getNamespace(), where + " namespace");
      }
      assertEquals("seckill", o.getMetadata().getLabels().get("app.kubernetes.io/part-of"), where + " part-of label");
    }
  }

  @Test
  void everyWorkloadHasProbesResourcesAndPinnedImages() {
    for (HasMetadata o : objects) {
      PodTemplateSpec template = templateOf(o);
      if (template == null) {
        continue;
      }
      String where = o.getKind() + "/" + o.getMetadata().getName();
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
    }
  }

  @Test
  void servicesUseHealthEndpointsAndTakeSettingsFromConfigMapAndSecret() {
    for (String name : SERVICES) {
      Deployment deployment = find(Deployment.class, name);
      Container c = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertEquals("/health/ready", c.getReadinessProbe().getHttpGet().getPath(), name);
      assertEquals("/health/live", c.getLivenessProbe().getHttpGet().getPath(), name);
      List<String> sources = c.getEnvFrom().stream()
          .map(K8sManifestsTest::sourceName).toList();
      assertTrue(sources.containsAll(List.of("configmap:seckill-config", "secret:seckill-secrets")), name + " envFrom " + sources);
    }
    ConfigMap config = find(ConfigMap.class, "seckill-config");
    for (String key : config.getData().keySet()) {
      assertTrue(readme.contains("`" + key + "`"), key + " is documented in the README settings table");
    }
  }

  @Test
  void everyServiceSelectsAWorkloadAndTargetsOneOfItsPorts() {
    for (Service service : objects.stream().filter(Service.class::isInstance).map(Service.class::cast).toList()) {
      Map<String, String> selector = service.getSpec().getSelector();
      List<Container> containers = objects.stream().map(K8sManifestsTest::templateOf).filter(Objects::nonNull)
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

  private static PodTemplateSpec templateOf(HasMetadata o) {
    if (o instanceof Deployment d) {
      return d.getSpec().getTemplate();
    }
    if (o instanceof StatefulSet s) {
      return s.getSpec().getTemplate();
    }
    if (o instanceof Job j) {
      return j.getSpec().getTemplate();
    }
    return null;
  }

  private static <T extends HasMetadata> T find(Class<T> type, String name) {
    return objects.stream().filter(type::isInstance).map(type::cast)
        .filter(o -> name.equals(o.getMetadata().getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name + " in k8s/"));
  }
}
