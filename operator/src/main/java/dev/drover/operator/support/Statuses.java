package dev.drover.operator.support;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/** Writes the status a reconcile decided on its primary, and only when it changed. */
public final class Statuses {
  private Statuses() {}

  /**
   * Replaces the primary's whole status with {@code status} unless they are equal; true when it
   * wrote, and then {@code primary} holds the new status too (read any "before" first). The write
   * is an update carrying the primary's resourceVersion (retried on a fresh read after a conflict),
   * never a patch computed against the cache: against a stale cache a patch could scramble a list,
   * such as a run's results. The updated object is cached, so the next reconcile sees it before the
   * watch delivers it.
   */
  public static <S, P extends CustomResource<?, S>> boolean replaceIfChanged(
      P primary, S status, Context<P> context) {
    if (status.equals(primary.getStatus())) {
      return false;
    }
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
        primary,
        context,
        current -> {
          current.setStatus(status);
          return current;
        });
    return true;
  }
}
