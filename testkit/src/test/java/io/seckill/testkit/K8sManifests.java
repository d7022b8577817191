package io.seckill.testkit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The objects of the k8s/ manifests, parsed into fabric8's typed model, for the manifest tests. */
final class K8sManifests {

  /** The label every workload's pods carry and every selector and policy refers to. */
  static final String NAME_LABEL = "app.kubernetes.io/name";

  final List<HasMetadata> objects;

  private K8sManifests(List<HasMetadata> objects) {
    this.objects = List.copyOf(objects);
  }

  /**
   * k8s/*.yaml, what `kubectl apply -f k8s/` applies; k8s/monitoring/*.yaml, what `kubectl apply -f
   * k8s/monitoring/` applies (its subfolders hold Prometheus rules, their tests, the configuration
   * and dashboards, which are not Kubernetes objects); and the Secret placeholders in k8s/secrets/.
   */
  static K8sManifests load() {
    Path dir = ServiceProcess.repoRoot().resolve("k8s");
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<HasMetadata> objects = new ArrayList<>();
    for (Path folder : List.of(dir, dir.resolve("monitoring"), dir.resolve("secrets"))) {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
          Object parsed = serialization.unmarshal(Files.readString(file));
          if (parsed instanceof List<?> list) {
            list.forEach(o -> objects.add((HasMetadata) o));
          } else {
            objects.add((HasMetadata) parsed);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new K8sManifests(objects);
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T find(Class<T> type, String name) {
    return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name + " in k8s/"));
  }

  /** Every object that makes pods (Deployment, StatefulSet, Job). */
  List<HasMetadata> workloads() {
    return objects.stream().filter(o -> templateOf(o) != null).toList();
  }

  /** The pod template of the workload whose pods carry {@code app.kubernetes.io/name: name}. */
  PodTemplateSpec podsOf(String name) {
    return workloads().stream().map(K8sManifests::templateOf)
        .filter(t -> name.equals(t.getMetadata().getLabels().get(NAME_LABEL))).findFirst()
        .orElseThrow(() -> new AssertionError("no workload in k8s/ makes pods named " + name));
  }

  static PodTemplateSpec templateOf(HasMetadata o) {
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

  static String where(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getName();
  }
}
