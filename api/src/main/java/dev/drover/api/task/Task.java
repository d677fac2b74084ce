package dev.drover.api.task;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A reusable, parameterised command that TaskRuns and flows refer to by name. */
@Group("drover.dev")
@Version("v1alpha1")
@Plural("tasks")
@Kind("Task")
@ShortNames("dtask")
@Categories("drover")
@AdditionalPrinterColumn(
    name = "Valid",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Valid\")].status")
@AdditionalPrinterColumn(
    name = "Description",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.description")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class Task extends CustomResource<TaskSpec, TaskStatus> implements Namespaced {}
