package dev.drover.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.cert.CertManager;
import io.fabric8.kubeapitest.kubeconfig.KubeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * etcd and kube-apiserver from kube-api-test's binaries, started as kube-api-test starts them but
 * on fixed ports, so that the API server process can be restarted on the same port and the same
 * etcd while every client keeps its kubeconfig. (kube-api-test itself picks a new port on each
 * start and tears etcd down when the API server exits.)
 */
final class ChaosApiServer implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofMinutes(2);

  private final Path binaries;
  private final Path dir;
  private final CertManager certs;
  private final int etcdPort;
  private final int etcdPeerPort;
  private final int apiServerPort;
  private final Kubectl kubectl;
  private Process etcd;
  private Process apiServer;

  private ChaosApiServer(Path binaries, Path dir) throws IOException {
    this.binaries = binaries;
    this.dir = Files.createDirectories(dir);
    this.certs = new CertManager(dir.toString());
    this.etcdPort = RealCluster.freePort();
    this.etcdPeerPort = RealCluster.freePort();
    this.apiServerPort = RealCluster.freePort();
    this.kubectl = new Kubectl(kubeconfig());
  }

  /** Empty when kube-api-test's binaries are not installed. */
  static Optional<ChaosApiServer> start(Path dir) throws IOException {
    Optional<Path> binaries = RealApiServer.installedBinaries();
    if (binaries.isEmpty()) {
      return Optional.empty();
    }
    ChaosApiServer server = new ChaosApiServer(binaries.get(), dir);
    server.certs.createCertificatesIfNeeded();
    Files.writeString(
        server.kubeconfig(),
        new KubeConfig(server.certs, null).generateKubeConfigYaml(server.port()));
    server.startEtcd();
    server.startApiServer();
    return Optional.of(server);
  }

  Path kubeconfig() {
    return dir.resolve("kubeconfig");
  }

  int port() {
    return apiServerPort;
  }

  /**
   * Stops the kube-apiserver process (SIGTERM, as a rolling restart does) and starts it again on
   * the same port and etcd; returns when it serves /readyz again.
   */
  Instant restartApiServer() throws IOException, InterruptedException {
    apiServer.destroy();
    apiServer.waitFor();
    startApiServer();
    return Instant.now();
  }

  private void startEtcd() throws IOException {
    etcd =
        launch(
            "etcd",
            List.of(
                binaries.resolve("etcd").toString(),
                "-data-dir",
                dir.resolve("etcd-data").toString(),
                "-wal-dir",
                dir.resolve("etcd-wal").toString(),
                "--listen-client-urls",
                "http://127.0.0.1:" + etcdPort,
                "--advertise-client-urls",
                "http://127.0.0.1:" + etcdPort,
                "--initial-cluster",
                "default=http://localhost:" + etcdPeerPort,
                "--initial-advertise-peer-urls",
                "http://localhost:" + etcdPeerPort,
                "--listen-peer-urls",
                "http://localhost:" + etcdPeerPort));
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(STARTUP)
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + etcdPort + "/health"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("true"));
  }

  private void startApiServer() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(binaries.resolve("kube-apiserver").toString());
    command.addAll(
        List.of(
            "--cert-dir",
            dir.toString(),
            "--secure-port",
            String.valueOf(apiServerPort),
            "--etcd-servers",
            "http://127.0.0.1:" + etcdPort,
            "--authorization-mode",
            "RBAC",
            "--service-account-issuer",
            "https://localhost",
            "--service-account-signing-key-file",
            certs.getAPIServerKeyPath(),
            "--service-account-key-file",
            certs.getAPIServerKeyPath(),
            "--disable-admission-plugins",
            "ServiceAccount",
            // As RealApiServer: setting blockOwnerDeletion needs RBAC on the owner's finalizers.
            "--enable-admission-plugins",
            "OwnerReferencesPermissionEnforcement",
            "--client-ca-file",
            certs.getClientCertPath(),
            "--tls-cert-file",
            certs.getAPIServerCertPath(),
            "--tls-private-key-file",
            certs.getAPIServerKeyPath(),
            "--service-cluster-ip-range",
            "10.0.0.0/24",
            "--allow-privileged"));
    apiServer = launch("kube-apiserver", command);
    await()
        .atMost(STARTUP)
        .until(() -> kubectl.run("get", "--raw", "/readyz").output().trim().equals("ok"));
  }

  private Process launch(String name, List<String> command) throws IOException {
    Path log = dir.resolve(name + ".log");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  @Override
  public void close() throws InterruptedException {
    for (Process process : new Process[] {apiServer, etcd}) {
      if (process != null) {
        process.destroy();
        process.waitFor();
      }
    }
  }
}
