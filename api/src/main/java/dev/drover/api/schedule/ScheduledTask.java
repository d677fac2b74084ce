package dev.drover.api.schedule;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Creates TaskRuns on a schedule: cron, a fixed interval, or one instant. */
@Group("drover.dev")
@Version("v1alpha1")
@Plural("scheduledtasks")
@Kind("ScheduledTask")
@ShortNames("dst")
@Categories("drover")
@AdditionalPrinterColumn(
    name = "Schedule",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.trigger")
@AdditionalPrinterColumn(
    name = "TimeZone",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.timeZone")
@AdditionalPrinterColumn(
    name = "Suspend",
    type = AdditionalPrinterColumn.Type.BOOLEAN,
    jsonPath = ".spec.suspend")
@AdditionalPrinterColumn(
    name = "Active",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.activeCount")
@AdditionalPrinterColumn(
    name = "LastSchedule",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".status.lastScheduleTime")
@AdditionalPrinterColumn(
    name = "NextRun",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.nextScheduleTime")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class ScheduledTask extends CustomResource<ScheduledTaskSpec, ScheduledTaskStatus>
    implements Namespaced {}
