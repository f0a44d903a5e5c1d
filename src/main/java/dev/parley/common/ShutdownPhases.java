package dev.parley.common;

import org.springframework.context.SmartLifecycle;

/**
 * The order of a graceful shutdown, as lifecycle phases (the highest stops first; docs/upgrading.md). The context's
 * close has already turned readiness to REFUSING_TRAFFIC ({@code /health/ready} 503) before any of them.
 *
 * <ol>
 *   <li>{@link #DRAIN}: the node keeps serving for {@code parley.shutdown.drain-delay}, while the load balancer's
 *       health checks see it unready and stop sending it new connections;
 *   <li>{@link #CLIENTS}: frames in flight finish, sockets close with 1001, event streams end, long polls answer;
 *   <li>the web server's graceful shutdown (Spring Boot's, below these): it stops accepting connections and waits
 *       for the requests in flight, then the server stops.
 * </ol>
 *
 * Each phase is bounded by {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
public final class ShutdownPhases {

    /** Readiness is down; the node still serves while the load balancer notices. */
    public static final int DRAIN = SmartLifecycle.DEFAULT_PHASE;

    /** Sockets, event streams and long polls end, after what is in flight on them. */
    public static final int CLIENTS = SmartLifecycle.DEFAULT_PHASE - 1;

    private ShutdownPhases() {}
}
