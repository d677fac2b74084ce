package dev.drover.cli.run;

import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.cli.CliException;
import dev.drover.cli.DroverCli;
import dev.drover.cli.Session;
import dev.drover.cli.support.Printing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    description = {
      "Start a TaskRun of a Task template (with -p params) or of an ad-hoc command after --."
    },
    footer = {
      "",
      "Examples:",
      "  kubectl drover run db-dump -p database=orders --wait",
      "  kubectl drover run --on role=web --broadcast --follow -- uptime",
      "  kubectl drover run --on role=scanner --distribute 10.0.0.0/24,10.0.1.0/24 -- nmap -sn",
      "  kubectl drover run --on zone=a --single --dry-run -o yaml -- df -h"
    })
public final class RunCommand implements Callable<Integer> {
  @ParentCommand DroverCli root;

  @Parameters(
      arity = "0..*",
      paramLabel = "TASK | -- CMD",
      description = "A Task template in the namespace, or after -- a command and its arguments.")
  List<String> words = new ArrayList<>();

  @Spec CommandSpec spec;

  @Option(names = "-p", paramLabel = "k=v", description = "A param of the Task.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--on", paramLabel = "SELECTOR", description = "Agents by label: k=v[,k=v...].")
  String selector;

  @ArgGroup(exclusive = true)
  DispatchChoice dispatch;

  static final class DispatchChoice {
    @Option(names = "--broadcast", description = "On every matching agent (the default).")
    boolean broadcast;

    @Option(names = "--single", description = "On one matching agent.")
    boolean single;

    @Option(
        names = "--distribute",
        paramLabel = "ITEMS",
        split = ",",
        description = "One unit per item, shared out over the matching agents.")
    List<String> items;

    Dispatch mode() {
      return broadcast ? Dispatch.Broadcast : single ? Dispatch.Single : Dispatch.Distribute;
    }
  }

  @Option(names = "--name", description = "The run's name (default: generated).")
  String name;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Per-attempt timeout.")
  Long timeoutSeconds;

  @Option(
      names = "--wait",
      description = "Wait until the run finishes; exit 1 unless it succeeded.")
  boolean await;

  @Option(
      names = "--follow",
      description = "Print every target's output as it is produced, prefixed; then as --wait.")
  boolean follow;

  @Option(names = "--dry-run", description = "Print the TaskRun (with -o) and create nothing.")
  boolean dryRun;

  @Option(
      names = {"-o", "--output"},
      description = "yaml, json or name.")
  String output;

  @Override
  public Integer call() throws Exception {
    if (output != null && !Printing.isObjectFormat(output)) {
      throw new CliException(DroverCli.USAGE, "-o takes yaml, json or name");
    }
    List<String> original = spec.commandLine().getParseResult().originalArgs();
    int separator = original.indexOf("--");
    List<String> command =
        separator < 0
            ? List.of()
            : words.subList(words.size() - (original.size() - separator - 1), words.size());
    List<String> before = words.subList(0, words.size() - command.size());
    if (before.size() > 1) {
      throw new CliException(
          DroverCli.USAGE, "one TASK at most; put a command after -- (got " + before + ")");
    }
    String task = before.isEmpty() ? null : before.get(0);
    Session session = root.session();
    TaskRun run =
        RunSpecs.of(
            session.namespace(),
            name,
            task,
            params,
            selector,
            dispatch == null ? null : dispatch.mode(),
            dispatch == null ? null : dispatch.items,
            timeoutSeconds,
            command);
    if (dryRun) {
      Printing.print(root.terminal().out(), output == null ? "yaml" : output, List.of(run));
      return 0;
    }
    TaskRun created = session.client().resource(run).create();
    if (output != null) {
      Printing.print(root.terminal().out(), output, List.of(created));
    } else {
      root.terminal().err().println("taskrun/" + created.getMetadata().getName() + " created");
      root.terminal().err().flush();
    }
    return await || follow
        ? RunWatch.await(session, root.terminal(), created.getMetadata().getName(), follow, null)
        : 0;
  }
}
