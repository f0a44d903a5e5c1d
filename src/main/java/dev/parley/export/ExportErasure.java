package dev.parley.export;

import dev.parley.storage.ObjectStorage;
import dev.parley.user.AccountErasure;
import java.time.Clock;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** A deleted account's exports, their ZIPs first. */
@Component
@Order(AccountErasure.EXPORTS)
class ExportErasure implements AccountErasure {

    private final ExportRepository exports;
    private final ObjectStorage storage;
    private final Clock clock;

    ExportErasure(ExportRepository exports, ObjectStorage storage, Clock clock) {
        this.exports = exports;
        this.storage = storage;
        this.clock = clock;
    }

    @Override
    public boolean eraseSome(UUID userId, int batch) {
        return ExportJobs.removeExports(exports, storage, clock.instant(), userId);
    }
}
