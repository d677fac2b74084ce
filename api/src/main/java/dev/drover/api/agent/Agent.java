package dev.drover.api.agent;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One running agent. Its metadata labels are the routing keys that TaskRun selectors match; the
 * agent registers it itself, the operator owns its readiness.
 */
@Group("drover.dev")
@Version("v1alpha1")
@Plural("agents")
@Kind("Agent")
@ShortNames("dagent")
@Categories("drover")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Running",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.running")
@AdditionalPrinterColumn(
    name = "Capacity",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".spec.capacity")
@AdditionalPrinterColumn(
    name = "Version",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.version")
@AdditionalPrinterColumn(
    name = "Heartbeat",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".status.lastHeartbeatTime")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class Agent extends CustomResource<AgentSpec, AgentStatus> {}
