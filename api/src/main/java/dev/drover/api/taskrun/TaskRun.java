package dev.drover.api.taskrun;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One run of one command on the targets its selector picks. */
@Group("drover.dev")
@Version("v1alpha1")
@Plural("taskruns")
@Kind("TaskRun")
@ShortNames("drun")
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
    name = "Failed",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.targets.failed")
@AdditionalPrinterColumn(
    name = "Duration",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.duration")
@AdditionalPrinterColumn(
    name = "Reason",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.reason",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class TaskRun extends CustomResource<TaskRunSpec, TaskRunStatus> implements Namespaced {}
