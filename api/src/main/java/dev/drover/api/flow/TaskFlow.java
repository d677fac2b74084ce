package dev.drover.api.flow;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A graph of tasks: each runs as a TaskRun once what it depends on has settled. */
@Group("drover.dev")
@Version("v1alpha1")
@Plural("taskflows")
@Kind("TaskFlow")
@ShortNames("dflow")
@Categories("drover")
@AdditionalPrinterColumn(
    name = "Phase",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Done",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.progress")
@AdditionalPrinterColumn(
    name = "Running",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.running")
@AdditionalPrinterColumn(
    name = "Reason",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.reason",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class TaskFlow extends CustomResource<TaskFlowSpec, TaskFlowStatus> implements Namespaced {}
