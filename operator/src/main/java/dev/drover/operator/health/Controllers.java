package dev.drover.operator.health;

import io.javaoperatorsdk.operator.RuntimeInfo;
import java.util.List;

/** This replica's controllers, as much of them as the probes judge. */
public interface Controllers {
  /** Whether the operator has started: every controller's informers started and synced. */
  boolean started();

  /** "controller/event source" for each event source that reports itself unhealthy. */
  List<String> unhealthyEventSources();

  /**
   * The controllers as the SDK reports them. In JOSDK 5.2 {@code Operator.start()} starts every
   * controller's event sources on every replica, and leader election only decides where events are
   * processed: a standby's informers watch and sync like the leader's. So the same judgement holds
   * on both, and a healthy standby is Ready without holding the Lease.
   */
  static Controllers of(RuntimeInfo sdk) {
    return new Controllers() {
      @Override
      public boolean started() {
        return sdk.isStarted();
      }

      @Override
      public List<String> unhealthyEventSources() {
        return sdk.unhealthyEventSources().entrySet().stream()
            .flatMap(
                controller ->
                    controller.getValue().keySet().stream()
                        .map(source -> controller.getKey() + "/" + source))
            .sorted()
            .toList();
      }
    };
  }
}
