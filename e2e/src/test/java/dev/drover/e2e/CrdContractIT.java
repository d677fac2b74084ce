package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema contract of every kind in crds/, on a real API server: each invalid field is rejected
 * with the exact message {@code kubectl apply} prints, a valid object of each kind is accepted, and
 * omitted policies get their defaults. Only the CRDs are installed; no operator runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrdContractIT {
  static final Path ROOT =
      Path.of(System.getProperty("drover.root", "..")).toAbsolutePath().normalize();
  static final String NS = "default";

  /**
   * The API server's schema validation alone answers, whatever kubectl's own version would check
   * before sending.
   */
  static final String SCHEMA_ONLY = "--validate=false";

  /**
   * An object of {@code kind} with this spec (flow or block YAML) is rejected with these errors.
   */
  record Rejection(String kind, String spec, List<String> errors) {
    /** What kubectl prints: one error on the line, several as a bulleted list below it. */
    String expectedOutput(String name) {
      String listed = errors.size() == 1 ? errors.get(0) : "\n* " + String.join("\n* ", errors);
      return "The %s \"%s\" is invalid: %s".formatted(kind, name, listed);
    }

    @Override
    public String toString() {
      return kind + " " + spec;
    }
  }

  static Rejection rejects(String kind, String spec, String... errors) {
    return new Rejection(kind, spec, List.of(errors));
  }

  static final List<Rejection> AGENT =
      List.of(
          rejects("Agent", "{namespaces: [default]}", "spec.capacity: Required value"),
          rejects("Agent", "{capacity: 4}", "spec.namespaces: Required value"),
          rejects(
              "Agent",
              "{capacity: 0, namespaces: [default]}",
              "spec.capacity: Invalid value: 0: spec.capacity in body should be greater than or"
                  + " equal to 1"),
          rejects(
              "Agent",
              "{capacity: four, namespaces: [default]}",
              "spec.capacity: Invalid value: \"string\": spec.capacity in body must be of type"
                  + " integer: \"string\""),
          rejects(
              "Agent",
              "{capacity: 4, namespaces: default}",
              "spec.namespaces: Invalid value: \"string\": spec.namespaces in body must be of type"
                  + " array: \"string\""));

  static final List<Rejection> TASK_RUN =
      List.of(
          // A run without selector is valid to the schema: its Task's template may hold one. One
          // with neither fails InvalidSpec in its status (SpecProblems, BadInputTest).
          rejects(
              "TaskRun",
              "{taskRef: {params: {database: orders}}}",
              "spec.taskRef.name: Required value"),
          rejects(
              "TaskRun",
              "{taskRef: {name: pg-dump, params: {retries: 3}}}",
              "spec.taskRef.params.retries: Invalid value: \"integer\": spec.taskRef.params.retries"
                  + " in body must be of type string: \"integer\""),
          rejects(
              "TaskRun",
              "{selector: {}, dispatch: Sometimes}",
              "spec.dispatch: Unsupported value: \"Sometimes\": supported values: \"Broadcast\","
                  + " \"Distribute\", \"Single\""),
          rejects(
              "TaskRun",
              "{selector: {}, executor: Lambda}",
              "spec.executor: Unsupported value: \"Lambda\": supported values: \"Agent\","
                  + " \"Pod\""),
          rejects(
              "TaskRun",
              "{selector: {}, parallelism: 0}",
              "spec.parallelism: Invalid value: 0: spec.parallelism in body should be greater than"
                  + " or equal to 1"),
          rejects(
              "TaskRun",
              "{selector: {}, maxFailures: true}",
              "spec.maxFailures: Invalid value: \"boolean\": spec.maxFailures in body must be of"
                  + " type integer,string: \"boolean\"",
              "<nil>: Invalid value: \"\": \"spec.maxFailures\" must validate at least one schema"
                  + " (anyOf)",
              "spec.maxFailures: Invalid value: \"boolean\": spec.maxFailures in body must be of"
                  + " type integer: \"boolean\""),
          rejects(
              "TaskRun",
              "{selector: {}, timeoutSeconds: 0}",
              "spec.timeoutSeconds: Invalid value: 0: spec.timeoutSeconds in body should be greater"
                  + " than or equal to 1"),
          rejects(
              "TaskRun",
              "{selector: {}, timeoutSeconds: 1.5}",
              "spec.timeoutSeconds: Invalid value: \"number\": spec.timeoutSeconds in body must be"
                  + " of type integer: \"number\""),
          rejects(
              "TaskRun",
              "{selector: {}, activeDeadlineSeconds: 0}",
              "spec.activeDeadlineSeconds: Invalid value: 0: spec.activeDeadlineSeconds in body"
                  + " should be greater than or equal to 1"),
          rejects(
              "TaskRun",
              "{selector: {}, dispatch: Distribute, items: [a], itemsPerExecution: 0}",
              "spec.itemsPerExecution: Invalid value: 0: spec.itemsPerExecution in body should be"
                  + " greater than or equal to 1"),
          rejects(
              "TaskRun",
              "{selector: {}, ttlSecondsAfterFinished: -1}",
              "spec.ttlSecondsAfterFinished: Invalid value: -1: spec.ttlSecondsAfterFinished in"
                  + " body should be greater than or equal to 0"),
          rejects(
              "TaskRun",
              "{selector: {}, retries: {limit: -1}}",
              "spec.retries.limit: Invalid value: -1: spec.retries.limit in body should be greater"
                  + " than or equal to 0"),
          rejects(
              "TaskRun",
              "{selector: {}, retries: {backoffSeconds: -1}}",
              "spec.retries.backoffSeconds: Invalid value: -1: spec.retries.backoffSeconds in body"
                  + " should be greater than or equal to 0"),
          rejects(
              "TaskRun",
              "{selector: {}, retries: {backoffFactor: 0.5}}",
              "spec.retries.backoffFactor: Invalid value: 0.5: spec.retries.backoffFactor in body"
                  + " should be greater than or equal to 1"),
          rejects(
              "TaskRun",
              "{selector: {}, retries: {maxBackoffSeconds: -1}}",
              "spec.retries.maxBackoffSeconds: Invalid value: -1: spec.retries.maxBackoffSeconds"
                  + " in body should be greater than or equal to 0"),
          rejects(
              "TaskRun", "{selector: {}, env: [{value: x}]}", "spec.env[0].name: Required value"),
          rejects(
              "TaskRun",
              "{selector: {}, executor: Pod, pod: {imagePullPolicy: Always}}",
              "spec.pod.image: Required value"),
          rejects(
              "TaskRun",
              "{selector: {}, executor: Pod, pod: {image: busybox, imagePullPolicy: Sometimes}}",
              "spec.pod.imagePullPolicy: Unsupported value: \"Sometimes\": supported values:"
                  + " \"Always\", \"IfNotPresent\", \"Never\""),
          rejects(
              "TaskRun",
              "{selector: {}, executor: Pod, pod: {image: busybox, startTimeoutSeconds: 0}}",
              "spec.pod.startTimeoutSeconds: Invalid value: 0: spec.pod.startTimeoutSeconds in"
                  + " body should be greater than or equal to 1"));

  static final List<Rejection> TASK_EXECUTION =
      List.of(
          rejects("TaskExecution", "{unit: single, attempt: 1}", "spec.run: Required value"),
          rejects("TaskExecution", "{run: hello, attempt: 1}", "spec.unit: Required value"),
          rejects("TaskExecution", "{run: hello, unit: single}", "spec.attempt: Required value"),
          rejects(
              "TaskExecution",
              "{run: hello, unit: single, attempt: 0}",
              "spec.attempt: Invalid value: 0: spec.attempt in body should be greater than or"
                  + " equal to 1"),
          rejects(
              "TaskExecution",
              "{run: hello, unit: single, attempt: \"1\"}",
              "spec.attempt: Invalid value: \"string\": spec.attempt in body must be of type"
                  + " integer: \"string\""),
          rejects(
              "TaskExecution",
              "{run: hello, unit: single, attempt: 1, env: [{value: x}]}",
              "spec.env[0].name: Required value"),
          rejects(
              "TaskExecution",
              "{run: hello, unit: single, attempt: 1, pod: {imagePullPolicy: Always}}",
              "spec.pod.image: Required value"),
          rejects(
              "TaskExecution",
              "{run: hello, unit: single, attempt: 1, pod: {image: busybox, imagePullPolicy:"
                  + " Sometimes}}",
              "spec.pod.imagePullPolicy: Unsupported value: \"Sometimes\": supported values:"
                  + " \"Always\", \"IfNotPresent\", \"Never\""),
          rejects(
              "TaskExecution",
              "{run: hello, unit: single, attempt: 1, pod: {image: busybox, startTimeoutSeconds:"
                  + " 0}}",
              "spec.pod.startTimeoutSeconds: Invalid value: 0: spec.pod.startTimeoutSeconds in"
                  + " body should be greater than or equal to 1"));

  static final List<Rejection> SCHEDULED_TASK =
      List.of(
          // Neither runTemplate nor flowTemplate is required by the schema (one of the two is);
          // a ScheduledTask with neither is reported invalid in its status by the operator.
          rejects(
              "ScheduledTask",
              "{interval: 5m, runTemplate: {metadata: {labels: {team: ops}}}}",
              "spec.runTemplate.spec: Required value"),
          rejects(
              "ScheduledTask",
              "{interval: 5 minutes, runTemplate: {spec: {selector: {}}}}",
              "spec.interval: Invalid value: \"5 minutes\": spec.interval in body should match"
                  + " '^([0-9]+(ms|s|m|h|d))+$'"),
          rejects(
              "ScheduledTask",
              "{at: \"2030-01-01 10:00\", runTemplate: {spec: {selector: {}}}}",
              "spec.at: Invalid value: \"2030-01-01 10:00\": spec.at in body should match"
                  + " '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'"),
          rejects(
              "ScheduledTask",
              "{interval: 5m, missedRunPolicy: Sometimes, runTemplate: {spec: {selector: {}}}}",
              "spec.missedRunPolicy: Unsupported value: \"Sometimes\": supported values:"
                  + " \"CatchUp\", \"RunOnce\", \"Skip\""),
          rejects(
              "ScheduledTask",
              "{interval: 5m, concurrencyPolicy: Queue, runTemplate: {spec: {selector: {}}}}",
              "spec.concurrencyPolicy: Unsupported value: \"Queue\": supported values: \"Allow\","
                  + " \"Forbid\", \"Replace\""),
          rejects(
              "ScheduledTask",
              "{interval: 5m, jitterSeconds: -1, runTemplate: {spec: {selector: {}}}}",
              "spec.jitterSeconds: Invalid value: -1: spec.jitterSeconds in body should be greater"
                  + " than or equal to 0"),
          rejects(
              "ScheduledTask",
              "{interval: 5m, startingDeadlineSeconds: 0, runTemplate: {spec: {selector: {}}}}",
              "spec.startingDeadlineSeconds: Invalid value: 0: spec.startingDeadlineSeconds in"
                  + " body should be greater than or equal to 1"),
          rejects(
              "ScheduledTask",
              "{interval: 5m, maxCatchUp: 0, runTemplate: {spec: {selector: {}}}}",
              "spec.maxCatchUp: Invalid value: 0: spec.maxCatchUp in body should be greater than"
                  + " or equal to 1"),
          rejects(
              "ScheduledTask",
              "{interval: 5m, successfulRunsHistoryLimit: -1, runTemplate: {spec: {selector: {}}}}",
              "spec.successfulRunsHistoryLimit: Invalid value: -1: spec.successfulRunsHistoryLimit"
                  + " in body should be greater than or equal to 0"),
          rejects(
              "ScheduledTask",
              "{interval: 5m, failedRunsHistoryLimit: -1, runTemplate: {spec: {selector: {}}}}",
              "spec.failedRunsHistoryLimit: Invalid value: -1: spec.failedRunsHistoryLimit in body"
                  + " should be greater than or equal to 0"),
          rejects(
              "ScheduledTask",
              "{interval: 5m, suspend: \"yes\", runTemplate: {spec: {selector: {}}}}",
              "spec.suspend: Invalid value: \"string\": spec.suspend in body must be of type"
                  + " boolean: \"string\""));

  static final List<Rejection> TASK =
      List.of(
          rejects("Task", "{description: no template}", "spec.template: Required value"),
          rejects(
              "Task",
              "{params: [{description: unnamed}], template: {script: hostname}}",
              "spec.params[0].name: Required value"),
          rejects(
              "Task",
              "{params: [{name: 1st}], template: {script: hostname}}",
              "spec.params[0].name: Invalid value: \"1st\": spec.params[0].name in body should"
                  + " match '^[A-Za-z_][A-Za-z0-9_-]*$'"),
          rejects(
              "Task",
              "{params: [{name: \"data base\"}], template: {script: hostname}}",
              "spec.params[0].name: Invalid value: \"data base\": spec.params[0].name in body"
                  + " should match '^[A-Za-z_][A-Za-z0-9_-]*$'"),
          rejects(
              "Task",
              "{params: [{name: level, enum: info}], template: {script: hostname}}",
              "spec.params[0].enum: Invalid value: \"string\": spec.params[0].enum in body must be"
                  + " of type array: \"string\""),
          rejects(
              "Task",
              "{params: [{name: level, required: \"yes\"}], template: {script: hostname}}",
              "spec.params[0].required: Invalid value: \"string\": spec.params[0].required in"
                  + " body must be of type boolean: \"string\""));

  static final List<Rejection> TASK_FLOW =
      List.of(
          rejects("TaskFlow", "{failFast: true}", "spec.tasks: Required value"),
          rejects(
              "TaskFlow",
              "{tasks: []}",
              "spec.tasks: Invalid value: 0: spec.tasks in body should have at least 1 items"),
          rejects(
              "TaskFlow",
              "{tasks: [" + "{name: t}, ".repeat(200) + "{name: t}]}",
              "spec.tasks: Too many: 201: must have at most 200 items"),
          rejects(
              "TaskFlow",
              "{tasks: [{name: a}], finally: [" + "{name: f}, ".repeat(50) + "{name: f}]}",
              "spec.finally: Too many: 51: must have at most 50 items"),
          rejects(
              "TaskFlow",
              "{tasks: [{name: Build}]}",
              "spec.tasks[0].name: Invalid value: \"Build\": spec.tasks[0].name in body should"
                  + " match '^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$'"),
          rejects(
              "TaskFlow",
              "{tasks: [{name: " + "a".repeat(41) + "}]}",
              "spec.tasks[0].name: Invalid value: \""
                  + "a".repeat(41)
                  + "\": spec.tasks[0].name in body should match"
                  + " '^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$'"),
          rejects(
              "TaskFlow",
              "{tasks: [{taskRef: {name: build}}]}",
              "spec.tasks[0].name: Required value"),
          rejects(
              "TaskFlow",
              "{tasks: [{name: a, taskRef: {params: {database: orders}}}]}",
              "spec.tasks[0].taskRef.name: Required value"),
          rejects(
              "TaskFlow",
              "{tasks: [{name: a, when: [{input: x, operator: Equals, values: [x]}]}]}",
              "spec.tasks[0].when[0].operator: Unsupported value: \"Equals\": supported values:"
                  + " \"In\", \"NotIn\""),
          rejects(
              "TaskFlow",
              "{tasks: [{name: a, when: [{input: x, operator: In}]}]}",
              "spec.tasks[0].when[0].values: Required value"),
          rejects(
              "TaskFlow",
              "{parallelism: 0, tasks: [{name: a}]}",
              "spec.parallelism: Invalid value: 0: spec.parallelism in body should be greater than"
                  + " or equal to 1"),
          rejects(
              "TaskFlow",
              "{activeDeadlineSeconds: 0, tasks: [{name: a}]}",
              "spec.activeDeadlineSeconds: Invalid value: 0: spec.activeDeadlineSeconds in body"
                  + " should be greater than or equal to 1"));

  /**
   * A run template is held to the TaskRun schema: each TaskRun rejection, as the template's spec,
   * gives the same errors at the template's path.
   */
  static Rejection inRunTemplate(Rejection taskRun) {
    return new Rejection(
        "ScheduledTask",
        "{interval: 5m, runTemplate: {spec: " + taskRun.spec() + "}}",
        taskRun.errors().stream()
            .map(error -> error.replace("spec.", "spec.runTemplate.spec."))
            .toList());
  }

  /** A Task's template is held to the TaskRun schema too, at the template's path. */
  static Rejection inTaskTemplate(Rejection taskRun) {
    return new Rejection(
        "Task",
        "{template: " + taskRun.spec() + "}",
        taskRun.errors().stream().map(error -> error.replace("spec.", "spec.template.")).toList());
  }

  /** So is a flow task's spec, at its path in the flow. */
  static Rejection inFlowTask(Rejection taskRun) {
    return new Rejection(
        "TaskFlow",
        "{tasks: [{name: a, spec: " + taskRun.spec() + "}]}",
        taskRun.errors().stream()
            .map(error -> error.replace("spec.", "spec.tasks[0].spec."))
            .toList());
  }

  static Stream<Rejection> rejections() {
    return Stream.of(
            AGENT.stream(),
            TASK_RUN.stream(),
            TASK_EXECUTION.stream(),
            SCHEDULED_TASK.stream(),
            TASK.stream(),
            TASK_FLOW.stream(),
            TASK_RUN.stream().map(CrdContractIT::inRunTemplate),
            TASK_RUN.stream().map(CrdContractIT::inTaskTemplate),
            TASK_RUN.stream().map(CrdContractIT::inFlowTask))
        .flatMap(s -> s);
  }

  /**
   * A valid object of {@code kind}; together they hold each bounded field at its bound and match
   * each pattern.
   */
  record Valid(String kind, String name, String spec) {
    @Override
    public String toString() {
      return kind + " " + name;
    }
  }

  static final String TASK_RUN_AT_ITS_BOUNDS =
      """
      selector: {matchLabels: {role: scanner}}
      dispatch: Distribute
      items: ["1", "2"]
      script: hostname
      env: [{name: GREETING, value: hello}]
      parallelism: 1
      maxFailures: 10%
      timeoutSeconds: 1
      activeDeadlineSeconds: 1
      retries: {limit: 0, backoffSeconds: 0, backoffFactor: 1, maxBackoffSeconds: 0}
      ttlSecondsAfterFinished: 0
      executor: Pod
      pod: {image: busybox, imagePullPolicy: Never, startTimeoutSeconds: 1}
      """;

  static Stream<Valid> validObjects() {
    return Stream.of(
        new Valid("Agent", "scanner-1", "{capacity: 1, namespaces: [default]}"),
        new Valid("TaskRun", "inventory", TASK_RUN_AT_ITS_BOUNDS),
        new Valid(
            "TaskExecution",
            "inventory-single-1",
            "{run: inventory, unit: single, attempt: 1, pod: {image: busybox,"
                + " startTimeoutSeconds: 1}}"),
        new Valid(
            "ScheduledTask",
            "every-ninety-minutes",
            """
            interval: 1h30m
            jitterSeconds: 0
            startingDeadlineSeconds: 1
            missedRunPolicy: CatchUp
            maxCatchUp: 1
            concurrencyPolicy: Forbid
            successfulRunsHistoryLimit: 0
            failedRunsHistoryLimit: 0
            runTemplate:
              metadata: {labels: {team: ops}}
              spec:
            """
                + TASK_RUN_AT_ITS_BOUNDS.indent(4)),
        new Valid(
            "ScheduledTask",
            "once-next-year",
            "{at: \"2030-01-01T10:00:00.5+02:00\", runTemplate: {spec: {selector: {}}}}"),
        new Valid(
            "Task",
            "pg-dump",
            """
            description: Dumps one database
            params:
              - {name: database, description: Which one, required: true}
              - {name: _level-2, default: info, enum: [info, debug]}
            template:
            """
                + TASK_RUN_AT_ITS_BOUNDS.indent(2)),
        new Valid(
            "TaskRun",
            "by-task",
            "{taskRef: {name: pg-dump, params: {database: orders, _level-2: debug}}}"),
        new Valid(
            "TaskFlow",
            "nightly",
            """
            failFast: false
            parallelism: 1
            activeDeadlineSeconds: 1
            tasks:
              - name: a
                taskRef: {name: pg-dump, params: {database: orders}}
              - name: %s
                dependsOn: [a]
                when: [{input: "$(tasks.a.result)", operator: NotIn, values: [""]}]
                itemsFrom: $(tasks.a.result)
                continueOnFailure: true
                spec:
            %s
              - {name: "0", depends: "a.Failed || %s.Succeeded"}
            finally:
              - {name: cleanup, spec: {selector: {}, script: "true"}}
            """
                .formatted(
                    "b".repeat(40),
                    TASK_RUN_AT_ITS_BOUNDS.indent(6).stripTrailing(),
                    "b".repeat(40))));
  }

  RealApiServer server;
  Kubectl kubectl;
  Path work;
  List<String> installedKinds;

  @BeforeAll
  void installTheCrds() throws IOException {
    work = ROOT.resolve("e2e/target/e2e-work").resolve(getClass().getSimpleName());
    Files.createDirectories(work);
    Optional<RealApiServer> found = RealApiServer.find(work);
    if (found.isEmpty()) {
      System.err.println("[drover e2e] SKIPPED: " + RealApiServer.skipReason());
    }
    Assumptions.assumeTrue(found.isPresent(), RealApiServer::skipReason);
    server = found.get();
    kubectl = new Kubectl(server.kubeconfig());
    String crds = ROOT.resolve("crds").toString();
    kubectl.ok("apply", "-f", crds);
    // kubectl wait gives up at once on a CRD the API server has not given conditions yet: ask
    // again.
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                kubectl
                        .run("wait", "--for=condition=Established", "--timeout=30s", "-f", crds)
                        .exitCode()
                    == 0);
    installedKinds =
        kubectl
            .ok("get", "-f", crds, "-o", "custom-columns=KIND:.spec.names.kind", "--no-headers")
            .lines()
            .toList();
  }

  @AfterAll
  void stopTheApiServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyKindInCrdsHasItsRejectionsAndAValidObject() {
    assertThat(rejections().map(Rejection::kind).distinct())
        .containsExactlyInAnyOrderElementsOf(installedKinds);
    assertThat(validObjects().map(Valid::kind).distinct())
        .containsExactlyInAnyOrderElementsOf(installedKinds);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  void anInvalidFieldIsRejectedWithTheServersMessage(Rejection rejection) throws IOException {
    Kubectl.Result result = apply(rejection.kind(), "rejected", rejection.spec(), SCHEMA_ONLY);

    assertThat(result.output().stripTrailing()).isEqualTo(rejection.expectedOutput("rejected"));
    assertThat(result.exitCode()).isNotZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validObjects")
  void aValidObjectIsAccepted(Valid valid) throws IOException {
    Kubectl.Result result = apply(valid.kind(), valid.name(), valid.spec(), SCHEMA_ONLY);

    assertThat(result.output().stripTrailing())
        .isEqualTo("%s.drover.dev/%s created", valid.kind().toLowerCase(), valid.name());
    assertThat(result.exitCode()).isZero();
  }

  /**
   * A TaskRun's dispatch and executor have no schema default: left out, they come from a taskRef's
   * template, else the operator assumes Broadcast and Agent.
   */
  @Test
  void omittedPoliciesGetTheDefaultsTheOperatorAssumes() throws IOException {
    apply("TaskRun", "defaults", "{selector: {}}", SCHEMA_ONLY).orFail();
    apply(
            "ScheduledTask",
            "defaults",
            "{interval: 5m, runTemplate: {spec: {selector: {}}}}",
            SCHEMA_ONLY)
        .orFail();

    assertThat(jsonPath("taskrun", "defaults", "{.spec}")).isEqualTo("{\"selector\":{}}");
    assertThat(
            jsonPath(
                "scheduledtask", "defaults", "{.spec.missedRunPolicy} {.spec.concurrencyPolicy}"))
        .isEqualTo("RunOnce Allow");
  }

  /**
   * Without --validate=false, kubectl asks the server for strict field validation (falling back to
   * a check of its own only where the server cannot): then a mistyped field name is rejected, where
   * schema validation alone drops it as an unknown field and accepts the object.
   */
  @Test
  void aMistypedFieldIsDroppedByTheSchemaButRejectedByKubectlsDefaultValidation()
      throws IOException {
    String spec = "{selector: {}, dispatchh: Single}";

    Kubectl.Result strict = apply("TaskRun", "mistyped", spec);
    Kubectl.Result schemaOnly = apply("TaskRun", "mistyped", spec, SCHEMA_ONLY);

    assertThat(strict.output().stripTrailing())
        .isEqualTo(
            "Error from server (BadRequest): error when creating \"%s\": TaskRun in version"
                + " \"v1alpha1\" cannot be handled as a TaskRun: strict decoding error: unknown"
                + " field \"spec.dispatchh\"",
            manifest("TaskRun", "mistyped"));
    assertThat(schemaOnly.output().stripTrailing())
        .isEqualTo("taskrun.drover.dev/mistyped created");
    assertThat(jsonPath("taskrun", "mistyped", "{.spec}")).isEqualTo("{\"selector\":{}}");
  }

  /** Applies an object of {@code kind} with this spec, as a user would, with these options. */
  private Kubectl.Result apply(String kind, String name, String spec, String... options)
      throws IOException {
    Path file = manifest(kind, name);
    Files.writeString(
        file,
        "apiVersion: drover.dev/v1alpha1\nkind: %s\nmetadata: {name: %s}\nspec:\n%s"
            .formatted(kind, name, spec.indent(2)));
    List<String> command = new ArrayList<>(List.of("apply", "-n", NS, "-f", file.toString()));
    command.addAll(List.of(options));
    return kubectl.run(command.toArray(String[]::new));
  }

  private Path manifest(String kind, String name) {
    return work.resolve(kind.toLowerCase() + "-" + name + ".yaml");
  }

  private String jsonPath(String kind, String name, String path) {
    return kubectl.ok("get", kind, name, "-n", NS, "-o", "jsonpath=" + path).trim();
  }
}
