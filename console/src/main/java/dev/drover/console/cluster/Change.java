package dev.drover.console.cluster;

/**
 * One object added, changed or deleted, as live pages and the event stream hear of it.
 *
 * @param namespace "" for agents, which belong to no namespace
 * @param phase the object's phase or readiness after the change, when it has one
 */
public record Change(String type, String kind, String namespace, String name, String phase) {}
