package dev.parley.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What one class logs while a test runs ({@code try (var log = CapturedLog.of(X.class))}). */
public final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final Level configured;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLog(String source, Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(source);
        this.configured = logger.getLevel();
        if (level != null) {
            logger.setLevel(level);
        }
        appender.start();
        logger.addAppender(appender);
    }

    public static CapturedLog of(Class<?> source) {
        return new CapturedLog(source.getName(), null);
    }

    /** By logger name, for a class the test cannot see (package-private elsewhere). */
    public static CapturedLog of(String logger) {
        return new CapturedLog(logger, null);
    }

    /** Also what the class logs below the test configuration's level, down to {@code level}. */
    public static CapturedLog of(Class<?> source, Level level) {
        return new CapturedLog(source.getName(), level);
    }

    /** Whether any line so far carried an exception (a stack trace). */
    public boolean anyStackTrace() {
        return appender.list.stream().anyMatch(event -> event.getThrowableProxy() != null);
    }

    /** The formatted messages so far. */
    public List<String> messages() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(configured);
    }
}
