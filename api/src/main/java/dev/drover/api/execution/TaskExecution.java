package dev.drover.api.execution;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One attempt of one target's share of a TaskRun; created by the operator, run by one agent. */
@Group("drover.dev")
@Version("v1alpha1")
// Every CRD class names its plural: fabric8 would otherwise derive it, with regular expressions,
// in the constructor of every object the client reads.
@Plural("taskexecutions")
@Kind("TaskExecution")
@ShortNames("dexec")
@Categories("drover")
@AdditionalPrinterColumn(
    name = "Run",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.run")
@AdditionalPrinterColumn(
    name = "Agent",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.agent")
@AdditionalPrinterColumn(
    name = "Node",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.node",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Attempt",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".spec.attempt")
@AdditionalPrinterColumn(
    name = "Phase",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Exit",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.exitCode")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class TaskExecution extends CustomResource<TaskExecutionSpec, TaskExecutionStatus>
    implements Namespaced {

  /** The phase the agent (or the operator, for Lost) last reported; Pending before anyone did. */
  public ExecutionPhase phase() {
    return getStatus() == null || getStatus().phase() == null
        ? ExecutionPhase.Pending
        : getStatus().phase();
  }

  public boolean dispatched() {
    return getSpec() != null && getSpec().dispatched();
  }
}
