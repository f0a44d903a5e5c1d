package dev.parley.realtime.sync;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Catch-up over HTTP for clients that were away or cannot hold a WebSocket: {@code GET /sync} (paged, or a long
 * poll with {@code timeout}) and {@code GET /events} (Server-Sent Events, resumable with {@code Last-Event-ID}).
 */
@Tag(
        name = "Real time",
        description = "Catch-up and fallbacks for clients without a WebSocket (the WebSocket itself is in AsyncAPI)")
@RestController
@RequestMapping("/api/v1")
class SyncController {

    private final SyncService sync;
    private final EventStreams streams;

    SyncController(SyncService sync, EventStreams streams) {
        this.sync = sync;
        this.streams = streams;
    }

    /** Throws VALIDATION_FAILED (bad or expired cursor, limit, timeout). */
    @Operation(operationId = "sync", summary = "Fetch the events missed since a cursor, or wait for the next ones")
    @ApiErrors({ErrorCode.UNAUTHORIZED, ErrorCode.RATE_LIMIT_EXCEEDED})
    @GetMapping("/sync")
    SyncService.SyncPage sync(
            AuthUser caller,
            @RequestParam(required = false) String since,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) Integer timeout)
            throws InterruptedException {
        SyncCursor after = sync.start("since", since);
        return sync.sync(caller, after, SyncService.limit(limit), SyncService.timeout(timeout));
    }

    /**
     * An endless stream of the caller's events, each with its cursor as the SSE id. Resumes after
     * {@code Last-Event-ID} (or {@code since}). Throws VALIDATION_FAILED before the stream starts. The stream ends
     * when the token it was opened with expires or is revoked.
     */
    @Operation(operationId = "streamEvents", summary = "Stream the caller's events as Server-Sent Events")
    @ApiErrors({ErrorCode.RATE_LIMIT_EXCEEDED})
    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(
            AuthUser caller,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @RequestParam(required = false) String since) {
        SyncCursor after = lastEventId != null && !lastEventId.isBlank()
                ? sync.start("Last-Event-ID", lastEventId)
                : sync.start("since", since);
        return streams.open(caller, after);
    }
}
