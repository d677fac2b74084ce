package dev.drover.cli.support;

import dev.drover.cli.CliException;
import dev.drover.cli.DroverCli;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.util.List;

/** Objects printed as kubectl's -o json, yaml and name print them. */
public final class Printing {
  private Printing() {}

  /** Whether {@code format} is one the objects themselves are printed in (not a table). */
  public static boolean isObjectFormat(String format) {
    return format != null && List.of("json", "yaml", "name").contains(format);
  }

  public static void print(PrintWriter out, String format, List<? extends HasMetadata> objects) {
    switch (format) {
      case "name" ->
          objects.forEach(
              o -> out.println(o.getKind().toLowerCase() + "/" + o.getMetadata().getName()));
      case "json" -> out.println(Serialization.asJson(one(objects)));
      case "yaml" -> out.print(Serialization.asYaml(one(objects)));
      default ->
          throw new CliException(
              DroverCli.USAGE,
              "unknown output format \"" + format + "\"; use json, yaml, name or wide");
    }
    out.flush();
  }

  /** One object as it is; several as a List, as kubectl prints them. */
  private static Object one(List<? extends HasMetadata> objects) {
    if (objects.size() == 1) {
      return objects.get(0);
    }
    KubernetesList list = new KubernetesList();
    list.setItems(List.copyOf(objects));
    return list;
  }
}
