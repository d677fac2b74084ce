package dev.drover.operator.taskrun;

import dev.drover.api.DroverLabels;
import dev.drover.api.taskrun.TaskRun;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;

/**
 * The changes of a TaskRun that call for a pass: its spec (a new generation), a new {@code
 * drover.dev/retry} value, its deletion. Its own status writes call for none.
 */
public final class RunUpdates implements OnUpdateFilter<TaskRun> {
  @Override
  public boolean accept(TaskRun updated, TaskRun previous) {
    return !Objects.equals(
            updated.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
        || !Objects.equals(retryToken(updated), retryToken(previous))
        || updated.getMetadata().getDeletionTimestamp() != null;
  }

  private static String retryToken(TaskRun run) {
    Map<String, String> annotations = run.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(DroverLabels.RETRY);
  }
}
