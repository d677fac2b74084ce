package dev.drover.cli.get;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.api.agent.Agent;
import dev.drover.api.execution.TaskExecution;
import dev.drover.api.flow.TaskFlow;
import dev.drover.api.schedule.ScheduledTask;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.cli.support.Table;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The tables and descriptions, character for character. */
class TablesTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  private static String printed(Table table) {
    return printed(table::print);
  }

  private static String printed(Consumer<PrintWriter> printing) {
    StringWriter text = new StringWriter();
    printing.accept(new PrintWriter(text, true));
    return text.toString();
  }

  private static <T> T yaml(String text, Class<T> type) {
    return Serialization.unmarshal(text, type);
  }

  private static final TaskRun FAILED =
      yaml(
          """
          apiVersion: drover.dev/v1alpha1
          kind: TaskRun
          metadata: {name: scan-segments, namespace: ops, creationTimestamp: "2026-11-28T11:57:30Z"}
          spec:
            selector: {matchLabels: {role: scanner}}
            dispatch: Distribute
            items: ["10.0.0.0/24", "10.0.1.0/24"]
            command: [nmap, -sn]
          status:
            phase: Failed
            reason: TargetsFailed
            message: "1 of 2 target(s) succeeded, 1 failed"
            startTime: "2026-11-28T11:57:31Z"
            completionTime: "2026-11-28T11:57:40Z"
            duration: 9s
            progress: 1/2
            targets: {total: 2, pending: 0, queued: 0, running: 0, retrying: 0, succeeded: 1, failed: 1, cancelled: 0}
            retries: 1
            retryToken: after-fix
          """,
          TaskRun.class);

  private static final TaskRun RUNNING =
      yaml(
          """
          apiVersion: drover.dev/v1alpha1
          kind: TaskRun
          metadata: {name: hello, namespace: default, creationTimestamp: "2026-11-28T09:00:00Z"}
          spec: {selector: {matchLabels: {role: scanner}}, command: [echo, hi]}
          status:
            phase: Running
            message: "2 of 3 target(s) succeeded so far"
            progress: 2/3
            targets: {total: 3, pending: 0, queued: 0, running: 1, retrying: 0, succeeded: 2, failed: 0, cancelled: 0}
          """,
          TaskRun.class);

  @Test
  void runs() {
    assertThat(printed(Tables.runs(List.of(FAILED, RUNNING), NOW, false, false)))
        .isEqualTo(
            """
            NAME            PHASE     DONE   FAILED   AGE
            scan-segments   Failed    1/2    1        2m30s
            hello           Running   2/3    0        3h
            """);
    assertThat(printed(Tables.runs(List.of(FAILED), NOW, true, true)))
        .isEqualTo(
            """
            NAMESPACE   NAME            PHASE    DONE   FAILED   AGE     DISPATCH     RETRIES   MESSAGE
            ops         scan-segments   Failed   1/2    1        2m30s   Distribute   1         1 of 2 target(s) succeeded, 1 failed
            """);
  }

  @Test
  void agents() {
    Agent agent =
        yaml(
            """
            apiVersion: drover.dev/v1alpha1
            kind: Agent
            metadata: {name: scanner-1, labels: {role: scanner, zone: a}}
            spec: {capacity: 4, namespaces: [ops], version: 0.1.0, unschedulable: true}
            status:
              running: 3
              lastHeartbeatTime: "2026-11-28T11:59:55Z"
              address: http://10.0.0.5:8081
              conditions: [{type: Ready, status: "True"}]
            """,
            Agent.class);

    assertThat(printed(Tables.agents(List.of(agent), NOW, true)))
        .isEqualTo(
            """
            NAME        READY   RUNNING   CAPACITY   CORDONED   HEARTBEAT   VERSION   ADDRESS                LABELS
            scanner-1   True    3         4          yes        5s          0.1.0     http://10.0.0.5:8081   role=scanner,zone=a
            """);
  }

  @Test
  void schedules() {
    ScheduledTask nightly =
        yaml(
            """
            apiVersion: drover.dev/v1alpha1
            kind: ScheduledTask
            metadata: {name: nightly, namespace: ops}
            spec:
              schedule: "30 2 * * *"
              timeZone: Europe/Berlin
              runTemplate: {spec: {command: ["true"]}}
            status:
              trigger: "30 2 * * * (Europe/Berlin)"
              nextScheduleTime: "2026-11-29T01:30:00Z"
              lastScheduleTime: "2026-11-28T01:30:00Z"
              activeCount: 0
              missed: 2
            """,
            ScheduledTask.class);

    assertThat(printed(Tables.schedules(List.of(nightly), NOW, false)))
        .isEqualTo(
            """
            NAME      SCHEDULE                     TIMEZONE        SUSPENDED   NEXT        LAST RUN     ACTIVE   MISSED
            nightly   30 2 * * * (Europe/Berlin)   Europe/Berlin   no          in 13h30m   10h30m ago   0        2
            """);
  }

  @Test
  void topListsAgentsByLoadThenTheBusiestRuns() {
    Agent idle =
        yaml(
            """
            apiVersion: drover.dev/v1alpha1
            kind: Agent
            metadata: {name: scanner-2}
            spec: {capacity: 4, namespaces: [ops]}
            status: {running: 0}
            """,
            Agent.class);
    Agent busy =
        yaml(
            """
            apiVersion: drover.dev/v1alpha1
            kind: Agent
            metadata: {name: scanner-1}
            spec: {capacity: 4, namespaces: [ops], unschedulable: true}
            status: {running: 3}
            """,
            Agent.class);

    assertThat(
            printed(
                out ->
                    dev.drover.cli.agents.TopCommand.print(
                        out, List.of(idle, busy), List.of(FAILED, RUNNING), 10)))
        .isEqualTo(
            """
            AGENT       RUNNING   CAPACITY   LOAD   CORDONED
            scanner-1   3         4          75%    yes
            scanner-2   0         4          0%     no

            NAMESPACE   RUN     RUNNING   QUEUED   DONE   PHASE
            default     hello   1         0        2/3    Running
            """);
  }

  @Test
  void aRunIsDescribedWithEveryAttemptOfEveryTarget() {
    TaskExecution first =
        execution("scan-segments-item-1-1", "item-1", "10.0.1.0/24", 1, "Failed", 2, "NonZeroExit");
    TaskExecution second =
        execution(
            "scan-segments-item-1-2", "item-1", "10.0.1.0/24", 2, "Succeeded", 0, "Completed");
    TaskExecution other =
        execution(
            "scan-segments-item-0-1", "item-0", "10.0.0.0/24", 1, "Succeeded", 0, "Completed");

    String described =
        printed(
            out -> Descriptions.run(out, FAILED, List.of(second, first, other), List.of(), NOW));

    assertThat(described)
        .isEqualTo(
            """
            Name:         scan-segments
            Namespace:    ops
            Phase:        Failed
            Reason:       TargetsFailed
            Message:      1 of 2 target(s) succeeded, 1 failed
            Started:      2026-11-28T11:57:31Z (2m29s ago)
            Completed:    2026-11-28T11:57:40Z (2m20s ago)
            Duration:     9s
            Retries:      1 (last token after-fix)
            Dispatch:     Distribute
            Selector:     role=scanner
            Command:      nmap -sn
            Targets:
              10.0.0.0/24   Succeeded   1 attempt(s)
              └─ attempt 1   Succeeded   exit 0   on scanner-1   3s
              10.0.1.0/24   Succeeded   2 attempt(s)
              ├─ attempt 1   Failed   exit 2   on scanner-1   3s   NonZeroExit
              └─ attempt 2   Succeeded   exit 0   on scanner-1   3s
            Events:
              <none>
            """);
  }

  @Test
  void aFlowIsDescribedAsItsGraph() {
    TaskFlow flow =
        yaml(
            """
            apiVersion: drover.dev/v1alpha1
            kind: TaskFlow
            metadata: {name: release, namespace: ops}
            spec:
              tasks:
                - {name: build, taskRef: {name: make}}
                - {name: test, dependsOn: [build], taskRef: {name: make}}
                - {name: lint, dependsOn: [build], taskRef: {name: make}}
                - {name: ship, depends: "test.Succeeded && lint.Succeeded", taskRef: {name: make}}
            status:
              phase: Running
              tasks:
                - {name: build, phase: Succeeded, run: release-build}
                - {name: test, phase: Running, run: release-test}
            """,
            TaskFlow.class);

    assertThat(printed(out -> Descriptions.flow(out, flow, List.of(), NOW)))
        .isEqualTo(
            """
            Name:         release
            Namespace:    ops
            Phase:        Running
            Tasks (indented under what they wait for):
              build   Succeeded   run release-build
                test   Running   (after build)   run release-test
                lint   Pending   (after build)
                  ship   Pending   (after test, lint)
            Events:
              <none>
            """);
  }

  private static TaskExecution execution(
      String name, String unit, String item, int attempt, String phase, int exit, String reason) {
    return yaml(
        """
        apiVersion: drover.dev/v1alpha1
        kind: TaskExecution
        metadata: {name: %s, namespace: ops}
        spec: {run: scan-segments, unit: %s, item: "%s", attempt: %d, agent: scanner-1}
        status:
          phase: %s
          exitCode: %d
          reason: %s
          startTime: "2026-11-28T11:57:32Z"
          completionTime: "2026-11-28T11:57:35Z"
        """
            .formatted(name, unit, item, attempt, phase, exit, reason),
        TaskExecution.class);
  }
}
