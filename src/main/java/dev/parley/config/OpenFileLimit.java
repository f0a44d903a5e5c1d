package dev.parley.config;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Keeps Tomcat's {@code max-connections} below the process's open-file limit, read at start-up and logged. Every
 * WebSocket and event stream holds a connection (a file descriptor) for its whole life; a server that accepts
 * more than it can open fails everywhere at once (new database connections, Redis reconnects, log files, image
 * reads: "too many open files"), while one at its cap only makes the next clients wait in the accept backlog.
 * So {@code server.tomcat.max-connections} is lowered, never raised, to the limit less a reserve for everything
 * else the process opens: a tenth of the limit, at least {@value #MIN_RESERVED} (the database pool, Redis, the JVM's
 * own jars and logs, storage and push clients).
 */
@Component
class OpenFileLimit implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

    static final int MIN_RESERVED = 256;

    private static final Logger log = LoggerFactory.getLogger(OpenFileLimit.class);

    /**
     * After Boot's own customizer, which applies {@code server.tomcat.max-connections} with a connector customizer:
     * this one is added after it, so it runs after it and sees its value.
     */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> limit(connector.getProtocolHandler()));
    }

    private void limit(ProtocolHandler handler) {
        if (!(handler instanceof AbstractProtocol<?> protocol)) {
            return;
        }
        long files = openFileLimit();
        int configured = protocol.getMaxConnections();
        if (files <= 0) {
            log.info("tomcat_max_connections={} open_file_limit=unknown", configured);
            return;
        }
        int chosen = maxConnections(configured, files);
        protocol.setMaxConnections(chosen);
        log.info("tomcat_max_connections={} open_file_limit={} configured={}", chosen, files, configured);
    }

    /**
     * {@code configured} (Tomcat's -1: unlimited), lowered to {@code files} less the reserve; at least half the
     * limit however small it is.
     */
    static int maxConnections(int configured, long files) {
        long reserved = Math.max(MIN_RESERVED, files / 10);
        long cap = Math.max(files - reserved, files / 2);
        long chosen = configured < 0 ? cap : Math.min(configured, cap);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, chosen));
    }

    /** The process's open-file limit, or -1 where the JVM cannot tell (not a Unix). */
    static long openFileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }
}
