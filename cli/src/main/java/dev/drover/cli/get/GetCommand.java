package dev.drover.cli.get;

import dev.drover.cli.CliException;
import dev.drover.cli.DroverCli;
import dev.drover.cli.Session;
import dev.drover.cli.support.Printing;
import dev.drover.cli.support.Table;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "get",
    description = "List runs, agents, schedules, flows or tasks, with the columns that matter.",
    footer = {
      "",
      "Examples:",
      "  kubectl drover get runs",
      "  kubectl drover get runs -A -l team=dba -o wide",
      "  kubectl drover get agents -w",
      "  kubectl drover get schedules",
      "  kubectl drover get run nightly-backup-x7k2p -o yaml"
    })
public final class GetCommand implements Callable<Integer> {
  @ParentCommand DroverCli root;

  @Parameters(
      index = "0",
      paramLabel = "KIND",
      description = "runs, agents, schedules, flows or tasks.")
  String kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Only this one.")
  String name;

  @Option(
      names = {"-l", "--selector"},
      description = "Label selector, as kubectl takes it.")
  String selector;

  @Option(
      names = {"-w", "--watch"},
      description = "After the list, print each change as it happens.")
  boolean watch;

  @Option(
      names = {"-o", "--output"},
      description = "json, yaml, name or wide.")
  String output;

  @Override
  public Integer call() throws InterruptedException {
    Kind chosen = Kind.of(kind);
    if (output != null && !Printing.isObjectFormat(output) && !"wide".equals(output)) {
      throw new CliException(
          DroverCli.USAGE,
          "unknown output format \"" + output + "\"; use json, yaml, name or wide");
    }
    Session session = root.session();
    List<? extends HasMetadata> objects = list(session, chosen);
    if (name != null && objects.isEmpty()) {
      throw CliException.notFound(chosen.name().toLowerCase() + " \"" + name + "\"");
    }
    if (Printing.isObjectFormat(output)) {
      Printing.print(root.terminal().out(), output, objects);
      return 0;
    }
    boolean allNamespaces = session.allNamespaces() && chosen.namespaced;
    Table first =
        chosen.table(
            objects, root.terminal().clock().instant(), allNamespaces, "wide".equals(output));
    if (first.isEmpty() && !watch) {
      root.terminal().err().println("No " + chosen.name().toLowerCase() + " found.");
      return 0;
    }
    first.print(root.terminal().out());
    if (watch) {
      watch(session, chosen, first, objects, allNamespaces);
    }
    return 0;
  }

  /** Prints a row for every object that is new or changed since it was last seen. */
  private void watch(
      Session session,
      Kind chosen,
      Table first,
      List<? extends HasMetadata> seen,
      boolean allNamespaces)
      throws InterruptedException {
    Map<String, String> versions = new HashMap<>();
    seen.forEach(o -> versions.put(key(o), o.getMetadata().getResourceVersion()));
    while (!Thread.currentThread().isInterrupted()) {
      Thread.sleep(root.terminal().poll().toMillis());
      List<? extends HasMetadata> changed =
          list(session, chosen).stream()
              .filter(
                  o ->
                      !o.getMetadata()
                          .getResourceVersion()
                          .equals(versions.put(key(o), o.getMetadata().getResourceVersion())))
              .toList();
      if (!changed.isEmpty()) {
        chosen
            .table(changed, root.terminal().clock().instant(), allNamespaces, "wide".equals(output))
            .printRowsLike(root.terminal().out(), first);
      }
    }
  }

  private static String key(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  private List<? extends HasMetadata> list(Session session, Kind chosen) {
    return list(session, chosen.type, chosen.namespaced);
  }

  private <T extends HasMetadata> List<T> list(Session session, Class<T> type, boolean namespaced) {
    MixedOperation<T, KubernetesResourceList<T>, Resource<T>> resources =
        session.client().resources(type);
    FilterWatchListDeletable<T, KubernetesResourceList<T>, Resource<T>> scoped;
    if (!namespaced) {
      scoped = resources;
    } else if (session.allNamespaces()) {
      scoped = resources.inAnyNamespace();
    } else {
      scoped = resources.inNamespace(session.namespace());
    }
    if (selector != null) {
      scoped = scoped.withLabelSelector(selector);
    }
    return scoped.list().getItems().stream()
        .filter(o -> name == null || name.equals(o.getMetadata().getName()))
        .sorted(
            Comparator.comparing((T o) -> String.valueOf(o.getMetadata().getNamespace()))
                .thenComparing(o -> o.getMetadata().getName()))
        .toList();
  }
}
