package dev.drover.cli.run;

import dev.drover.api.steer.Reruns;
import dev.drover.api.taskrun.Dispatch;
import dev.drover.api.taskrun.TaskRef;
import dev.drover.api.taskrun.TaskRun;
import dev.drover.api.taskrun.TaskRunSpec;
import dev.drover.cli.CliException;
import dev.drover.cli.DroverCli;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The TaskRuns the plugin creates: from a command line, and again from an earlier run. */
public final class RunSpecs {
  private RunSpecs() {}

  /**
   * A run of a Task template with params, or of an ad-hoc command; exactly one of them.
   *
   * @param selector label selector "k=v,k2=v2", or null (a template may bring its own)
   */
  public static TaskRun of(
      String namespace,
      String name,
      String task,
      Map<String, String> params,
      String selector,
      Dispatch dispatch,
      List<String> items,
      Long timeoutSeconds,
      List<String> command) {
    boolean adHoc = command != null && !command.isEmpty();
    if (adHoc == (task != null)) {
      throw usage("give either a TASK or a command after --, not " + (adHoc ? "both" : "neither"));
    }
    if (adHoc && selector == null) {
      throw usage("an ad-hoc command needs --on SELECTOR to say which agents run it");
    }
    if (!params.isEmpty() && adHoc) {
      throw usage("-p sets a Task's params; an ad-hoc command takes none");
    }
    TaskRunSpec.Builder spec =
        TaskRunSpec.builder()
            .selector(selector == null ? null : selector(selector))
            .dispatch(dispatch)
            .items(items)
            .timeoutSeconds(timeoutSeconds);
    if (adHoc) {
      spec.command(command);
    } else {
      spec.taskRef(new TaskRef(task, params.isEmpty() ? null : new LinkedHashMap<>(params)));
    }
    TaskRun run = new TaskRun();
    ObjectMetaBuilder metadata = new ObjectMetaBuilder().withNamespace(namespace);
    if (name != null) {
      metadata.withName(name);
    } else {
      metadata.withGenerateName(Reruns.generateNamePrefix(adHoc ? command.get(0) : task));
    }
    run.setMetadata(metadata.build());
    run.setSpec(spec.build());
    return run;
  }

  /** Equality-based label selectors, as {@code kubectl get -l} takes them: k=v,k2==v2. */
  static LabelSelector selector(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String requirement : text.split(",")) {
      String[] pair = requirement.trim().split("==?", 2);
      if (pair.length != 2 || pair[0].isBlank() || pair[1].contains("!") || pair[0].contains("!")) {
        throw usage("--on takes labels as key=value[,key=value...], got \"" + text + "\"");
      }
      labels.put(pair[0].trim(), pair[1].trim());
    }
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(labels);
    return selector;
  }

  private static CliException usage(String message) {
    return new CliException(DroverCli.USAGE, message);
  }
}
