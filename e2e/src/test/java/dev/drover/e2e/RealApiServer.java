package dev.drover.e2e;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real API server for the end-to-end tier: a cluster named explicitly by DROVER_IT_KUBECONFIG
 * (never the ambient KUBECONFIG, which may be production), else one started from kube-api-test's
 * binaries when they are installed, else none.
 */
final class RealApiServer implements AutoCloseable {
  static final String KUBECONFIG_VARIABLE = "DROVER_IT_KUBECONFIG";
  static final Path BINARIES = Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s");

  private final Path kubeconfig;
  private final KubeAPIServer started;

  private RealApiServer(Path kubeconfig, KubeAPIServer started) {
    this.kubeconfig = kubeconfig;
    this.started = started;
  }

  /** Empty, with the reason on stderr, when no API server can be had. */
  static Optional<RealApiServer> find(Path workDir) throws IOException {
    String named = System.getenv(KUBECONFIG_VARIABLE);
    if (named != null && !named.isBlank()) {
      return Optional.of(new RealApiServer(Path.of(named), null));
    }
    Optional<String> version = installedVersion();
    if (version.isEmpty()) {
      return Optional.empty();
    }
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true)
                .withApiServerVersion(version.get())
                .withUpdateKubeConfig(false)
                // As on OpenShift and hardened clusters: setting blockOwnerDeletion needs RBAC on
                // the owner's finalizers.
                .withApiServerFlag(
                    "--enable-admission-plugins", "OwnerReferencesPermissionEnforcement")
                .build());
    server.start();
    Path kubeconfig = workDir.resolve("kubeconfig");
    Files.writeString(kubeconfig, server.getKubeConfigYaml());
    return Optional.of(new RealApiServer(kubeconfig, server));
  }

  static String skipReason() {
    return "No real API server: set "
        + KUBECONFIG_VARIABLE
        + " to a test cluster's kubeconfig, or install"
        + " kube-api-test binaries (kube-apiserver, etcd, kubectl) in "
        + BINARIES
        + "/<version>-linux-amd64";
  }

  private static Optional<String> installedVersion() throws IOException {
    if (!Files.isDirectory(BINARIES)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(BINARIES)) {
      return dirs.filter(
              d ->
                  Files.isExecutable(d.resolve("kube-apiserver"))
                      && Files.isExecutable(d.resolve("etcd")))
          .map(d -> d.getFileName().toString())
          .filter(name -> name.endsWith("-linux-amd64"))
          .map(name -> name.substring(0, name.length() - "-linux-amd64".length()))
          .sorted()
          .reduce((first, second) -> second);
    }
  }

  /** The directory of the newest installed kube-api-test binaries, if any. */
  static Optional<Path> installedBinaries() throws IOException {
    return installedVersion().map(version -> BINARIES.resolve(version + "-linux-amd64"));
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  /** Whether this JVM started the API server, and so can pause it. */
  boolean pausable() {
    return started != null;
  }

  /**
   * Stops the kube-apiserver process (SIGSTOP): it answers nothing until {@link #resume}, and etcd
   * keeps every object. (When its API server exits, kube-api-test deletes etcd's data.)
   */
  void pause() throws IOException, InterruptedException {
    signalApiServer("STOP");
  }

  void resume() throws IOException, InterruptedException {
    signalApiServer("CONT");
  }

  private void signalApiServer(String signal) throws IOException, InterruptedException {
    ProcessHandle apiServer =
        ProcessHandle.current()
            .descendants()
            .filter(p -> p.info().command().orElse("").endsWith("/kube-apiserver"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no kube-apiserver started by this JVM"));
    Process kill =
        new ProcessBuilder("kill", "-" + signal, String.valueOf(apiServer.pid()))
            .inheritIO()
            .start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + apiServer.pid() + " failed");
    }
  }

  @Override
  public void close() {
    if (started != null) {
      started.stop();
    }
  }
}
