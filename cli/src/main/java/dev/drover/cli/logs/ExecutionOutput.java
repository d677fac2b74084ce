package dev.drover.cli.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.api.agent.Agent;
import dev.drover.api.agent.AgentStatus;
import dev.drover.api.execution.TaskExecution;
import dev.drover.cli.Session;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens the whole output of one execution where it is kept: on the agent that ran it (through the
 * API server's pod proxy when the agent runs in a pod, else at the address it publishes), or in the
 * pod's log for executor Pod. When the agent cannot be asked, one notice line goes to stderr and
 * the tail kept in the execution's status stands in.
 */
public final class ExecutionOutput {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT = Duration.ofSeconds(10);

  private final Session session;
  private final PrintWriter err;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT).build();

  public ExecutionOutput(Session session, PrintWriter err) {
    this.session = session;
    this.err = err;
  }

  /** What to read: from which byte, kept open while the process runs, with each line's time. */
  public record Request(long offset, boolean follow, boolean timestamps) {
    String query() {
      return "offset=" + offset + "&follow=" + follow + "&timestamps=" + timestamps;
    }
  }

  /**
   * An opened output.
   *
   * @param whole false when only the tail kept in status stands in for it
   */
  public record Opened(InputStream stream, boolean whole) {}

  public Opened open(TaskExecution execution, Request request) throws InterruptedException {
    if (execution.getSpec().runsInPod()) {
      return new Opened(podLog(execution, request), true);
    }
    String agentName = execution.getSpec().agent();
    if (agentName == null) {
      return tail(execution, "not dispatched to an agent yet");
    }
    var token = session.bearerToken();
    if (token.isEmpty()) {
      return tail(
          execution,
          "no bearer token to show agent "
              + agentName
              + " (the kubeconfig authenticates otherwise; pass --token or set DROVER_TOKEN)");
    }
    Agent agent = session.client().resources(Agent.class).withName(agentName).get();
    AgentStatus status = agent == null ? null : agent.getStatus();
    if (status == null || (status.getAddress() == null && status.getPodName() == null)) {
      return tail(execution, "agent " + agentName + " publishes no address");
    }
    String path =
        "/v1/namespaces/"
            + execution.getMetadata().getNamespace()
            + "/executions/"
            + execution.getMetadata().getName()
            + "/output?"
            + request.query();
    try {
      return status.getPodName() != null
          ? throughPodProxy(execution, agentName, status, path, token.get())
          : direct(execution, agentName, status.getAddress() + path, token.get());
    } catch (IOException | KubernetesClientException e) {
      return tail(execution, "agent " + agentName + " not reachable (" + e.getMessage() + ")");
    }
  }

  private Opened direct(TaskExecution execution, String agent, String url, String token)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() == 200) {
      return new Opened(response.body(), true);
    }
    try (InputStream body = response.body()) {
      return refused(execution, agent, response.statusCode(), body.readAllBytes());
    }
  }

  private Opened throughPodProxy(
      TaskExecution execution, String agent, AgentStatus status, String path, String token)
      throws IOException, InterruptedException {
    String url =
        session.masterUrl()
            + "/api/v1/namespaces/"
            + encode(status.getPodNamespace())
            + "/pods/"
            + encode(status.getPodName())
            + ":"
            + status.getPort()
            + "/proxy"
            + path;
    var client = session.client().getHttpClient();
    var request =
        client
            .newHttpRequestBuilder()
            .uri(url)
            .header("X-Drover-Token", token)
            .forStreaming()
            .build();
    try {
      var response =
          client.sendAsync(request, InputStream.class).get(CONNECT.toSeconds(), TimeUnit.SECONDS);
      if (response.code() == 200) {
        return new Opened(response.body(), true);
      }
      try (InputStream body = response.body()) {
        return refused(
            execution, agent, response.code(), body == null ? new byte[0] : body.readAllBytes());
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(e.getCause() == null ? e.toString() : e.getCause().getMessage(), e);
    }
  }

  private Opened refused(TaskExecution execution, String agent, int code, byte[] body) {
    String why = new String(body, StandardCharsets.UTF_8);
    try {
      JsonNode error = JSON.readTree(body).get("error");
      if (error != null) {
        why = error.asText();
      }
    } catch (IOException notJson) {
      // the body says it as it is
    }
    return tail(execution, "agent " + agent + " answered " + code + ": " + why.strip());
  }

  private InputStream podLog(TaskExecution execution, Request request) {
    PodResource pod =
        session
            .client()
            .pods()
            .inNamespace(execution.getMetadata().getNamespace())
            .withName(execution.getMetadata().getName());
    try {
      var log = request.timestamps() ? pod.usingTimestamps() : pod;
      return request.follow()
          ? log.watchLog().getOutput()
          : new ByteArrayInputStream(log.getLog().getBytes(StandardCharsets.UTF_8));
    } catch (KubernetesClientException e) {
      return tail(
          execution,
          "the log of pod "
              + execution.getMetadata().getName()
              + " is not readable ("
              + e.getMessage()
              + ")")
          .stream();
    }
  }

  private Opened tail(TaskExecution execution, String why) {
    err.println("notice: " + why + "; showing the last 4 KiB kept in status");
    err.flush();
    String tail = execution.getStatus() == null ? null : execution.getStatus().message();
    return new Opened(
        new ByteArrayInputStream((tail == null ? "" : tail).getBytes(StandardCharsets.UTF_8)),
        false);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8);
  }
}
