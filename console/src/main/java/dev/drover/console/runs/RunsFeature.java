package dev.drover.console.runs;

import dev.drover.api.DroverLabels;
import dev.drover.api.execution.ExecutionPhase;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.steer.Reruns;
import dev.drover.api.steer.SteeringPatches;
import dev.drover.api.taskrun.RunPhase;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.console.cluster.Phases;
import dev.drover.console.query.Listings;
import dev.drover.console.query.ObjectFilter;
import dev.drover.console.query.Paging.Page;
import dev.drover.console.web.ActionReply;
import dev.drover.console.web.Features;
import dev.drover.console.web.HttpError;
import dev.drover.console.web.Json;
import dev.drover.console.web.Request;
import dev.drover.console.web.Response;
import dev.drover.console.web.Routes;
import io.fabric8.kubernetes.api.model.Event;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Runs and their executions: the list with its filters, one run with its targets and Events, and
 * the three ways to steer a run (cancel, retry its failed targets, start it again).
 */
public final class RunsFeature {
  private final Features features;
  private final RunPages pages;

  public RunsFeature(Features features) {
    this.features = features;
    this.pages = new RunPages(features.layout(), features.clock());
  }

  public void register(Routes routes) {
    routes
        .get("/api/v1/runs", request -> Json.ok(runs(request).body()))
        .get("/api/v1/namespaces/{ns}/runs/{name}", request -> Json.ok(run(request)))
        .get(
            "/api/v1/namespaces/{ns}/runs/{name}/executions",
            request -> Json.ok(Map.of("items", executionsOf(request, run(request)))))
        .get(
            "/api/v1/namespaces/{ns}/runs/{name}/events",
            request -> Json.ok(Map.of("items", events(request, run(request)))))
        .get("/api/v1/executions", request -> Json.ok(executions(request).body()))
        .get(
            "/api/v1/namespaces/{ns}/executions/{name}",
            request ->
                Json.ok(
                    Listings.one(
                        request, features.guard(), "taskexecutions", features.cache()::execution)))
        .post("/api/v1/namespaces/{ns}/runs/{name}/cancel", this::cancel)
        .post("/api/v1/namespaces/{ns}/runs/{name}/retry", this::retry)
        .post("/api/v1/namespaces/{ns}/runs/{name}/rerun", this::rerun)
        .get("/runs", request -> pages.list(request, runs(request)))
        .get(
            "/runs/{ns}/{name}",
            request -> {
              TaskRun run = run(request);
              return pages.detail(
                  request, run, executionsIfAllowed(request, run), eventsIfAllowed(request, run));
            });
  }

  Page<TaskRun> runs(Request request) {
    return Listings.page(
        request,
        features.guard(),
        "taskruns",
        features.cache().runs(),
        RunFilter::message,
        RunFilter.of(request.queryParams()));
  }

  private Page<TaskExecution> executions(Request request) {
    ExecutionPhase phase = ObjectFilter.oneOf(request.queryParams(), "phase", ExecutionPhase.class);
    String run = ObjectFilter.blankToNull(request.queryParams().get("run"));
    return Listings.page(
        request,
        features.guard(),
        "taskexecutions",
        features.cache().executions(),
        execution -> execution.getStatus() == null ? null : execution.getStatus().message(),
        execution ->
            (run == null || (execution.getSpec() != null && run.equals(execution.getSpec().run())))
                && (phase == null
                    || (execution.getStatus() != null && phase == execution.getStatus().phase())));
  }

  /** The run named in the path, 404 when the caller may see it but it is not there. */
  private TaskRun run(Request request) {
    return Listings.one(request, features.guard(), "taskruns", features.cache()::run);
  }

  private List<TaskExecution> executionsOf(Request request, TaskRun run) {
    String namespace = run.getMetadata().getNamespace();
    features.guard().require(request.caller(), "list", "taskexecutions", namespace);
    return features.cache().executionsOf(namespace, run.getMetadata().getName()).stream()
        .sorted(
            Comparator.comparing((TaskExecution execution) -> execution.getSpec().unit())
                .thenComparing(execution -> execution.getSpec().attempt()))
        .toList();
  }

  private List<Event> events(Request request, TaskRun run) {
    features.guard().require(request.caller(), "list", "events", run.getMetadata().getNamespace());
    return features
        .console()
        .v1()
        .events()
        .inNamespace(run.getMetadata().getNamespace())
        .withField("involvedObject.name", run.getMetadata().getName())
        .list()
        .getItems()
        .stream()
        .filter(event -> "TaskRun".equals(event.getInvolvedObject().getKind()))
        .sorted(Comparator.comparing(RunsFeature::lastSeen).reversed())
        .toList();
  }

  /** A page shows output tails only to callers who may list executions; null: may not. */
  private List<TaskExecution> executionsIfAllowed(Request request, TaskRun run) {
    return features
            .guard()
            .allows(request.caller(), "list", "taskexecutions", run.getMetadata().getNamespace())
        ? executionsOf(request, run)
        : null;
  }

  /** A page shows what Events the caller may read, and says so when none. */
  private List<Event> eventsIfAllowed(Request request, TaskRun run) {
    return features
            .guard()
            .allows(request.caller(), "list", "events", run.getMetadata().getNamespace())
        ? events(request, run)
        : null;
  }

  private static String lastSeen(Event event) {
    return event.getLastTimestamp() != null
        ? event.getLastTimestamp()
        : event.getEventTime() != null ? event.getEventTime().getTime() : "";
  }

  private Response cancel(Request request) throws IOException {
    TaskRun run = run(request);
    features
        .guard()
        .require(request.caller(), "patch", "taskruns", run.getMetadata().getNamespace());
    patch(request, run, SteeringPatches.CANCEL);
    return ActionReply.done(request, Map.of("cancelled", name(run)));
  }

  private Response retry(Request request) throws IOException {
    TaskRun run = run(request);
    features
        .guard()
        .require(request.caller(), "patch", "taskruns", run.getMetadata().getNamespace());
    if (Phases.of(run) != RunPhase.Failed) {
      throw new HttpError(
          409,
          "only a Failed run can retry its failed targets; " + name(run) + " is " + Phases.of(run));
    }
    String token = SteeringPatches.freshToken();
    patch(request, run, SteeringPatches.annotation(DroverLabels.RETRY, token));
    return ActionReply.done(request, Map.of("retried", name(run), "token", token));
  }

  private Response rerun(Request request) throws IOException {
    TaskRun run = run(request);
    features
        .guard()
        .require(request.caller(), "create", "taskruns", run.getMetadata().getNamespace());
    TaskRun created =
        features.clients().as(request.caller(), client -> client.resource(Reruns.of(run)).create());
    return ActionReply.done(request, Map.of("created", name(created)));
  }

  private void patch(Request request, TaskRun run, String mergePatch) {
    features
        .clients()
        .mergePatch(
            request.caller(),
            TaskRun.class,
            run.getMetadata().getNamespace(),
            run.getMetadata().getName(),
            mergePatch);
  }

  private static String name(TaskRun run) {
    return run.getMetadata().getNamespace() + "/" + run.getMetadata().getName();
  }
}
