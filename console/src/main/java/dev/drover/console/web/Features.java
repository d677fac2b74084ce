package dev.drover.console.web;

import dev.drover.console.auth.CallerClients;
import dev.drover.console.auth.Guard;
import dev.drover.console.cluster.ClusterCache;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * What every feature of the console works with: the cache it reads, the guard that says what a
 * caller may see and do, clients that act as the caller, the page frame, the clock, and the
 * console's own client for the few reads the cache does not hold (Events).
 */
public record Features(
    ClusterCache cache,
    Guard guard,
    CallerClients clients,
    Layout layout,
    Clock clock,
    KubernetesClient console) {}
