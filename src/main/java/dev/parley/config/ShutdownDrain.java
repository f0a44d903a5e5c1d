package dev.parley.config;

import dev.parley.common.ShutdownPhases;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The first step of a graceful shutdown ({@link ShutdownPhases#DRAIN}): readiness already answers 503, and the node
 * goes on serving for {@code parley.shutdown.drain-delay} while the load balancer notices, before the gateway closes
 * its sockets and the web server stops accepting connections.
 */
@Component
class ShutdownDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);

    private final long delayMillis;
    private volatile boolean running;

    ShutdownDrain(ShutdownProperties properties) {
        this.delayMillis = properties.drainDelay().toMillis();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        log.info("shutdown_draining readiness=REFUSING_TRAFFIC drain_delay_ms={}", delayMillis);
        if (delayMillis == 0) {
            callback.run();
            return;
        }
        CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS).execute(callback);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.DRAIN;
    }
}
