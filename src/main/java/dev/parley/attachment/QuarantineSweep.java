package dev.parley.attachment;

import dev.parley.storage.ObjectStorage;
import dev.parley.storage.StoredObject;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Removes quarantined objects that no live upload owns. A signed S3 URL cannot be withdrawn, so a client may PUT
 * again after its upload was completed or refused, and a node may die between two steps; whatever is left under
 * {@code quarantine/} belongs to nobody once its attachment is neither uploading nor processing. Only objects
 * older than an upload URL's life are judged, so nothing a client may still be writing is touched. Runs as a
 * recurring job (one node at a time); what it removed is logged and counted
 * ({@code attachment_quarantine_swept_total}).
 */
@Component
class QuarantineSweep {

    private static final Logger log = LoggerFactory.getLogger(QuarantineSweep.class);
    static final int PAGE = 500;

    private final ObjectStorage storage;
    private final AttachmentRepository attachments;
    private final AttachmentProperties properties;
    private final Counter swept;
    private final Clock clock;

    QuarantineSweep(
            ObjectStorage storage,
            AttachmentRepository attachments,
            AttachmentProperties properties,
            MeterRegistry registry,
            Clock clock) {
        this.storage = storage;
        this.attachments = attachments;
        this.properties = properties;
        this.swept = Counter.builder("attachment.quarantine.swept")
                .description("Quarantined objects removed because no live upload owned them")
                .register(registry);
        this.clock = clock;
    }

    /** One sweep of objects written before an upload URL's life ago; returns how many it removed. */
    int run() {
        return sweep(clock.instant().minus(properties.uploadUrlTtl()));
    }

    /** Removes the quarantined objects last written before {@code writtenBefore} that no live upload owns. */
    int sweep(Instant writtenBefore) {
        int removed = 0;
        long bytes = 0;
        String after = null;
        while (true) {
            List<StoredObject> page = storage.list(Keys.QUARANTINE, after, PAGE);
            List<StoredObject> old = page.stream()
                    .filter(o -> o.lastModified().isBefore(writtenBefore))
                    .toList();
            Set<UUID> owned = old.isEmpty()
                    ? Set.of()
                    : attachments.quarantineOwners(old.stream()
                            .map(o -> Keys.ownerOfQuarantined(o.key()))
                            .filter(Objects::nonNull)
                            .distinct()
                            .toList());
            for (StoredObject object : old) {
                UUID owner = Keys.ownerOfQuarantined(object.key());
                if (owner == null || !owned.contains(owner)) {
                    storage.delete(object.key());
                    log.info(
                            "attachment_quarantine_swept key={} size={} written_at={}",
                            object.key(),
                            object.size(),
                            object.lastModified());
                    swept.increment();
                    removed++;
                    bytes += object.size();
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.getLast().key();
        }
        if (removed > 0) {
            log.info("attachment_quarantine_sweep removed={} bytes={}", removed, bytes);
        }
        return removed;
    }
}
