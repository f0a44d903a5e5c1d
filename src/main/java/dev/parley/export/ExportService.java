package dev.parley.export;

import com.github.kagkarlsson.scheduler.task.TaskInstance;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEntry;
import dev.parley.audit.AuditLog;
import dev.parley.audit.AuditTargetType;
import dev.parley.common.ErrorCode;
import dev.parley.common.Ids;
import dev.parley.common.JobQueue;
import dev.parley.common.ParleyException;
import dev.parley.storage.ObjectStorage;
import dev.parley.storage.SignedRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Requesting an export and asking for it: the request is recorded and the build queued (a durable job, retried if
 * a node stops half-way) in one transaction; the status call hands the owner, and nobody else, a signed link that
 * works for {@code parley.exports.link-ttl}.
 */
@Service
class ExportService {

    static final String BUILD_TASK = "export-build";

    private final ExportRepository exports;
    private final JobQueue queue;
    private final ObjectStorage storage;
    private final AuditLog audit;
    private final ExportProperties properties;
    private final Clock clock;

    ExportService(
            ExportRepository exports,
            JobQueue queue,
            ObjectStorage storage,
            AuditLog audit,
            ExportProperties properties,
            Clock clock) {
        this.exports = exports;
        this.queue = queue;
        this.storage = storage;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /** A new export of the caller's data, or the one still being built. */
    @Transactional
    public ExportView request(UUID caller, String ip) {
        UUID id = exports.pendingOf(caller).orElse(null);
        if (id == null) {
            id = Ids.uuidV7(clock.millis());
            exports.insert(id, caller, clock.instant());
            queue.enqueue(new TaskInstance<>(BUILD_TASK, id.toString(), id.toString()));
            audit.record(AuditEntry.by(caller, AuditAction.EXPORT_REQUESTED)
                    .target(AuditTargetType.EXPORT, id)
                    .ip(ip));
        }
        return new ExportView(id, "pending", null, null, null);
    }

    /** The export's status, with a fresh download link once ready. Throws EXPORT_NOT_FOUND (also another's). */
    @Transactional
    public ExportView status(UUID caller, UUID exportId, String ip) {
        ExportRepository.Row row = exports.find(exportId)
                .filter(r -> r.userId().equals(caller))
                .orElseThrow(() -> new ParleyException(ErrorCode.EXPORT_NOT_FOUND, "Export not found"));
        if (!"ready".equals(row.status())) {
            return new ExportView(exportId, row.status(), row.progress(), null, null);
        }
        Instant now = clock.instant();
        Duration left = Duration.between(now, row.expiresAt());
        if (!left.isPositive()) {
            throw new ParleyException(ErrorCode.EXPORT_NOT_FOUND, "Export not found");
        }
        Duration ttl = left.compareTo(properties.linkTtl()) < 0 ? left : properties.linkTtl();
        SignedRequest link = storage.signDownload(row.storageKey(), ExportBuilder.CONTENT_TYPE, ttl);
        audit.record(AuditEntry.by(caller, AuditAction.EXPORT_DOWNLOADED)
                .target(AuditTargetType.EXPORT, exportId)
                .ip(ip));
        return new ExportView(exportId, "ready", row.progress(), link.url().toString(), ttl.toSeconds());
    }
}
