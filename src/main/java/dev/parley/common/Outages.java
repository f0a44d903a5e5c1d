package dev.parley.common;

import dev.parley.common.UnavailableException.Dependency;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Failures that mean a dependency is out or overloaded, not that the code is wrong: PostgreSQL unreachable,
 * restarting or out of connections, a lock or statement timeout, Redis disconnected. REST and WebSocket answer them
 * alike, 503 SERVICE_UNAVAILABLE with Retry-After, and they are logged here in one line per dependency per
 * {@link #LOG_INTERVAL} (how many were refused meanwhile, the last one and its cause; no stack trace), so an outage
 * that fails every request does not bury the log. Each refusal counts in {@code service_unavailable_total}.
 */
@Component
public class Outages {

    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    /** The database is down or restarting: coming back takes seconds. */
    static final Duration DOWN_RETRY = Duration.ofSeconds(5);
    /** A lock wait or statement timed out, or every pooled connection was busy: a retry soon will likely pass. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(1);

    /** SQLSTATEs of a server shutting down, crashed, or starting (with class 08, connection, and 53, resources). */
    private static final Set<String> DOWN_STATES = Set.of("57P01", "57P02", "57P03");
    /** Lock timeout, statement timeout, serialization failure, deadlock. */
    private static final Set<String> BUSY_STATES = Set.of("55P03", "57014", "40001", "40P01");

    private static final Logger log = LoggerFactory.getLogger(Outages.class);

    private record Reports(Counter refusals, LogThrottle throttle, AtomicLong sinceLastLine) {}

    private final Map<Dependency, Reports> reports = new EnumMap<>(Dependency.class);

    public Outages(MeterRegistry registry) {
        for (Dependency dependency : Dependency.values()) {
            Counter refusals = Counter.builder("service.unavailable")
                    .tag("dependency", dependency.tag())
                    .description("Requests answered 503 because a dependency was out or overloaded")
                    .register(registry);
            reports.put(dependency, new Reports(refusals, new LogThrottle(LOG_INTERVAL), new AtomicLong()));
        }
    }

    /**
     * The outage behind a failure, as the exception to answer with, or null when the failure is something else
     * (a bug, a client mistake).
     */
    public static UnavailableException classify(Throwable failure) {
        boolean busy = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnavailableException unavailable) {
                return unavailable;
            }
            if (t instanceof RedisException && !(t instanceof RedisCommandExecutionException)) {
                // Disconnected (commands rejected), timed out or interrupted; an error reply is a bug, not this.
                return new UnavailableException(
                        Dependency.REDIS, "The service is temporarily unavailable; try again", DOWN_RETRY, failure);
            }
            if (t instanceof TransactionSystemException tx && tx.getApplicationException() != null) {
                // A rollback that failed hides why the work failed; that reason decides (the rollback, on a
                // connection already lost, fails with Hikari's "Connection is closed", which has no SQLSTATE).
                UnavailableException behind = classify(tx.getApplicationException());
                if (behind != null) {
                    return behind;
                }
            }
            String state = t instanceof SQLException sql ? sql.getSQLState() : null;
            if (databaseDown(t, state)) {
                return new UnavailableException(
                        Dependency.DATABASE, "The service is temporarily unavailable; try again", DOWN_RETRY, failure);
            }
            // The pool's own timeout carries the last connection failure when the server is unreachable (caught
            // above, further down the chain); alone, every connection was busy.
            busy |= state != null && BUSY_STATES.contains(state)
                    || t instanceof SQLTransientConnectionException
                    || t instanceof CannotGetJdbcConnectionException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof TransientDataAccessException;
        }
        return busy
                ? new UnavailableException(Dependency.DATABASE, "The service is busy; try again", BUSY_RETRY, failure)
                : null;
    }

    /** A lost or refused connection, a server shutting down or starting, or out of resources. */
    private static boolean databaseDown(Throwable t, String state) {
        if (state != null) {
            return state.startsWith("08") || state.startsWith("53") || DOWN_STATES.contains(state);
        }
        // Spring's word for a lost connection; its subclass for "no connection from the pool" may only be busy.
        return t instanceof DataAccessResourceFailureException && !(t instanceof CannotGetJdbcConnectionException);
    }

    /** Counts one refusal and logs it, or leaves it to the next line; {@code where} names the request. */
    public void refused(UnavailableException e, String where) {
        Reports report = reports.get(e.dependency());
        report.refusals().increment();
        report.sinceLastLine().incrementAndGet();
        if (report.throttle().due()) {
            log.warn(
                    "{}_unavailable refused={} last=\"{}\" cause=\"{}\"",
                    e.dependency().tag(),
                    report.sinceLastLine().getAndSet(0),
                    where,
                    e.logDetail());
        }
    }

    /** The innermost cause of a failure, as {@code Class: message}: what a log line or a health detail shows. */
    public static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
