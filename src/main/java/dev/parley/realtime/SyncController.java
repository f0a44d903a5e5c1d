package dev.parley.realtime;

import dev.parley.auth.AuthUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Catch-up over HTTP for clients that were away or cannot hold a WebSocket: {@code GET /sync} (paged, or a long
 * poll with {@code timeout}) and {@code GET /events} (Server-Sent Events, resumable with {@code Last-Event-ID}).
 */
@RestController
@RequestMapping("/api/v1")
class SyncController {

    private final SyncService sync;

    SyncController(SyncService sync) {
        this.sync = sync;
    }

    /** Throws VALIDATION_FAILED (bad or expired cursor, limit, timeout). */
    @GetMapping("/sync")
    SyncService.SyncPage sync(AuthUser caller, @RequestParam(required = false) String since,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) Integer timeout)
            throws InterruptedException {
        SyncCursor after = sync.start("since", since);
        return sync.sync(caller.id(), after, SyncService.limit(limit), SyncService.timeout(timeout));
    }
}
