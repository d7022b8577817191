package io.seckill.load;

import io.gatling.app.Gatling$;
import io.gatling.shared.cli.GatlingCliOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs one simulation inside this JVM, the way the smoke test and the benchmark need it (the
 * services they start are already known here; {@code ./seckill load} uses the Maven plugin).
 */
final class GatlingRun {

  /** Gatling's exit status (0 = every assertion and the after-run check passed) and its report. */
  record Outcome(int status, Optional<Path> report) {
    boolean passed() {
      return status == 0;
    }
  }

  /** Status when the run threw, e.g. the after-run guarantee check failed. */
  static final int CRASHED = -1;

  private GatlingRun() {
  }

  static Outcome run(Class<? extends SaleSimulation> simulation, Path resultsFolder) {
    try {
      Files.createDirectories(resultsFolder);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + resultsFolder, e);
    }
    int status;
    try {
      status = Gatling$.MODULE$.fromArgs(new String[] {
          GatlingCliOptions.Simulation.longOption(), simulation.getName(),
          GatlingCliOptions.ResultsFolder.longOption(), resultsFolder.toAbsolutePath().toString()});
    } catch (Throwable crashed) {
      // an exception from the simulation's after() (a broken guarantee) ends the run here
      System.out.println("[seckill] run failed: " + crashed);
      status = CRASHED;
    }
    Optional<Path> report = newestReport(resultsFolder, simulation.getSimpleName().toLowerCase());
    report.ifPresent(r -> System.out.println("[seckill] HTML report: " + r.toAbsolutePath()));
    return new Outcome(status, report);
  }

  static Optional<Path> newestReport(Path resultsFolder, String prefix) {
    try (Stream<Path> runs = Files.list(resultsFolder)) {
      return runs.filter(p -> p.getFileName().toString().toLowerCase().startsWith(prefix))
          .map(p -> p.resolve("index.html"))
          .filter(Files::exists)
          .max(Comparator.comparing(p -> p.getParent().toFile().lastModified()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
