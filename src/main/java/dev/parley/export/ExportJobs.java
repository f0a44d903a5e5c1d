package dev.parley.export;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.parley.storage.ObjectStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The export jobs on the persistent queue: building one (retried three times with backoff, then marked failed) and,
 * every ten minutes on one node, removing exports kept past {@code parley.exports.keep}.
 */
@Configuration(proxyBeanMethods = false)
class ExportJobs {

    private static final Logger log = LoggerFactory.getLogger(ExportJobs.class);
    static final int ATTEMPTS = 3;

    @Bean
    OneTimeTask<String> exportBuildTask(
            ExportBuilder builder, ExportRepository exports, ExportProperties properties, Clock clock) {
        return Tasks.oneTime(ExportService.BUILD_TASK, String.class)
                .onFailure(FailureHandler.<String>maxRetries(ATTEMPTS)
                        .withBackoff(Duration.ofSeconds(5), 2.0)
                        .thenRemove())
                .execute((instance, context) -> {
                    UUID id = UUID.fromString(instance.getData());
                    ExportRepository.Row row = exports.find(id).orElse(null);
                    if (row == null || !"pending".equals(row.status())) {
                        return;
                    }
                    String key = "exports/" + row.userId() + "/" + id + ".zip";
                    try {
                        var size = builder.build(id, row.userId(), key);
                        Instant now = clock.instant();
                        if (size.isPresent()) {
                            exports.ready(id, key, size.get(), now, now.plus(properties.keep()));
                        } else {
                            exports.failed(id, now);
                        }
                    } catch (IOException | RuntimeException e) {
                        if (context.getExecution().consecutiveFailures + 1 >= ATTEMPTS) {
                            exports.failed(id, clock.instant());
                            log.warn("export_failed export_id={}", id, e);
                            return;
                        }
                        throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
                    }
                });
    }

    @Bean
    RecurringTask<Void> exportCleanupTask(ExportRepository exports, ObjectStorage storage, Clock clock) {
        return Tasks.recurring("export-cleanup", Schedules.fixedDelay(Duration.ofMinutes(10)))
                .execute((instance, context) -> removeExports(exports, storage, clock.instant(), null));
    }

    /** Removes kept-too-long exports (and, with {@code userId}, all of that user's): object first, then the row. */
    static boolean removeExports(ExportRepository exports, ObjectStorage storage, Instant now, UUID userId) {
        List<ExportRepository.Row> doomed = exports.doomed(now, userId, 100);
        for (ExportRepository.Row row : doomed) {
            if (row.storageKey() != null) {
                storage.delete(row.storageKey());
            }
            exports.delete(row.exportId());
        }
        return doomed.size() < 100;
    }
}
