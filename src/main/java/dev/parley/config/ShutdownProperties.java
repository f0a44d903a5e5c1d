package dev.parley.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.shutdown.*}: {@code drain-delay}, how long a stopping node keeps serving after its readiness went
 * OUT_OF_SERVICE, so that the load balancer's health checks take it out before it closes its sockets and stops
 * accepting connections (at least the checks' interval times the failures they need; 0: no wait, for a single node
 * or a load balancer told by other means). It must stay below {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
@ConfigurationProperties("parley.shutdown")
public record ShutdownProperties(@DefaultValue("0s") Duration drainDelay) {

    public ShutdownProperties {
        if (drainDelay.isNegative()) {
            throw new IllegalArgumentException("parley.shutdown.drain-delay must not be negative");
        }
    }
}
