package dev.drover.console.schedules;

import static dev.drover.console.web.Html.esc;
import static dev.drover.console.web.Html.url;

import dev.drover.api.DroverLabels;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.schedule.ScheduledTaskSpec;
import dev.drover.api.schedule.ScheduledTaskStatus;
import dev.drover.api.steer.SteeringPatches;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.console.cluster.ScheduledRuns;
import dev.drover.console.query.Listings;
import dev.drover.console.query.Paging.Page;
import dev.drover.console.web.ActionReply;
import dev.drover.console.web.Features;
import dev.drover.console.web.Html;
import dev.drover.console.web.Json;
import dev.drover.console.web.Request;
import dev.drover.console.web.Response;
import dev.drover.console.web.Routes;
import dev.drover.console.web.Times;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ScheduledTasks: when each runs next, how its last run went, what it missed; steer them. */
public final class SchedulesFeature {

  private final Features features;

  public SchedulesFeature(Features features) {
    this.features = features;
  }

  public void register(Routes routes) {
    routes
        .get("/api/v1/schedules", request -> Json.ok(schedules(request).body()))
        .get("/api/v1/namespaces/{ns}/schedules/{name}", request -> Json.ok(schedule(request)))
        .post(
            "/api/v1/namespaces/{ns}/schedules/{name}/suspend",
            request -> change(request, SteeringPatches.suspend(true), "suspended"))
        .post(
            "/api/v1/namespaces/{ns}/schedules/{name}/resume",
            request -> change(request, SteeringPatches.suspend(false), "resumed"))
        .post(
            "/api/v1/namespaces/{ns}/schedules/{name}/run",
            request ->
                change(
                    request,
                    SteeringPatches.annotation(DroverLabels.RUN_NOW, SteeringPatches.freshToken()),
                    "triggered"))
        .get("/schedules", this::page);
  }

  private Page<ScheduledTask> schedules(Request request) {
    return Listings.page(
        request,
        features.guard(),
        "scheduledtasks",
        features.cache().schedules(),
        SchedulesFeature::message);
  }

  private ScheduledTask schedule(Request request) {
    return Listings.one(request, features.guard(), "scheduledtasks", features.cache()::schedule);
  }

  private static String message(ScheduledTask schedule) {
    return schedule.getStatus() == null ? null : schedule.getStatus().trigger();
  }

  private Response change(Request request, String mergePatch, String done) throws IOException {
    ScheduledTask schedule = schedule(request);
    String namespace = schedule.getMetadata().getNamespace();
    features.guard().require(request.caller(), "patch", "scheduledtasks", namespace);
    features
        .clients()
        .mergePatch(
            request.caller(),
            ScheduledTask.class,
            namespace,
            schedule.getMetadata().getName(),
            mergePatch);
    return ActionReply.done(
        request, Map.of(done, namespace + "/" + schedule.getMetadata().getName()));
  }

  /**
   * The most recent run a schedule started, if the cache holds one and the caller may list runs
   * there.
   */
  private Optional<TaskRun> lastRun(Request request, ScheduledTask schedule, ScheduledRuns latest) {
    return features
            .guard()
            .allows(request.caller(), "list", "taskruns", schedule.getMetadata().getNamespace())
        ? latest.newestOf(schedule)
        : Optional.empty();
  }

  private Response page(Request request) {
    Page<ScheduledTask> page = schedules(request);
    ScheduledRuns latest = new ScheduledRuns(features.cache().runs());
    Instant now = features.clock().instant();
    List<String[]> rows = new ArrayList<>();
    for (ScheduledTask schedule : page.items()) {
      ScheduledTaskStatus status = schedule.getStatus();
      String namespace = schedule.getMetadata().getNamespace();
      String name = schedule.getMetadata().getName();
      ScheduledTaskSpec spec = schedule.getSpec();
      boolean suspended = spec != null && spec.suspended();
      String api = "/api/v1/namespaces/" + url(namespace) + "/schedules/" + url(name);
      Optional<TaskRun> last = lastRun(request, schedule, latest);
      String id = namespace + "-" + name;
      rows.add(
          new String[] {
            Html.link("/runs?namespace=" + url(namespace) + "&schedule=" + url(name), name)
                + (suspended ? " <span class=\"phase phase-Suspended\">Suspended</span>" : ""),
            esc(namespace),
            esc(status == null ? "" : status.trigger()),
            esc(spec == null || spec.timeZone() == null ? "UTC" : spec.timeZone()),
            esc(status == null ? "" : status.nextScheduleTime()),
            last.map(
                    run ->
                        Html.link(
                                "/runs/" + url(namespace) + "/" + url(run.getMetadata().getName()),
                                Times.age(run.getMetadata().getCreationTimestamp(), now) + " ago")
                            + " "
                            + Html.phase(run.getStatus() == null ? null : run.getStatus().phase()))
                .orElse(""),
            esc(status == null || status.missed() == null ? 0 : status.missed()),
            (suspended
                    ? features
                        .layout()
                        .action(
                            request.caller(),
                            api + "/resume",
                            "Resume",
                            "/schedules",
                            "resume-" + id)
                    : features
                        .layout()
                        .action(
                            request.caller(),
                            api + "/suspend",
                            "Suspend",
                            "/schedules",
                            "suspend-" + id))
                + features
                    .layout()
                    .action(
                        request.caller(), api + "/run", "Run now", "/schedules", "run-now-" + id)
          });
    }
    String main =
        "<h1>Schedules</h1>"
            + Html.table(
                "schedules",
                new String[] {
                  "Name", "Namespace", "Trigger", "Time zone", "Next due", "Last run", "Missed", ""
                },
                rows);
    return features.layout().page(request, "Schedules", "ScheduledTask TaskRun", main);
  }
}
