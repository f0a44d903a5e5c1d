package dev.parley.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * No {@code spring.datasource.url} and no PostgreSQL binaries to run an embedded server from: the container image
 * (built with {@code -Pserver}) leaves them out, so it needs a database of the operator's. Reported at start-up by
 * {@link Analyzer} as a plain sentence and what to do, not a stack trace, and the process exits.
 */
public class DatabaseNotConfiguredException extends IllegalStateException {

    DatabaseNotConfiguredException() {
        super("No database is configured (SPRING_DATASOURCE_URL), and this build of Parley has no embedded "
                + "PostgreSQL to fall back on");
    }

    /** Registered in META-INF/spring.factories. */
    static final class Analyzer extends AbstractFailureAnalyzer<DatabaseNotConfiguredException> {

        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, DatabaseNotConfiguredException cause) {
            return new FailureAnalysis(
                    cause.getMessage() + ".",
                    "Set SPRING_DATASOURCE_URL to your PostgreSQL (e.g. jdbc:postgresql://db:5432/parley), with "
                            + "SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD. Migrations run at start-up. "
                            + "(The embedded PostgreSQL is for the plain jar, ./mvnw spring-boot:run, only.)",
                    cause);
        }
    }
}
