package dev.parley.presence;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Presence and typing")
@RestController
@RequestMapping("/api/v1/conversations/{conversationId}/typing")
class TypingController {

    record Started(UUID conversationId, Instant expiresAt) {}

    private final TypingService typing;

    TypingController(TypingService typing) {
        this.typing = typing;
    }

    /** Starts (or renews) the caller's typing state; it expires by itself after 10 s. */
    @Operation(operationId = "startTyping", summary = "Say the caller is typing")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND, ErrorCode.USER_BLOCKED, ErrorCode.RATE_LIMIT_EXCEEDED})
    @PostMapping
    Started start(AuthUser caller, @PathVariable UUID conversationId) {
        return new Started(conversationId, typing.start(caller.id(), conversationId));
    }

    @Operation(operationId = "stopTyping", summary = "Say the caller stopped typing")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND, ErrorCode.RATE_LIMIT_EXCEEDED})
    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void stop(AuthUser caller, @PathVariable UUID conversationId) {
        typing.stop(caller.id(), conversationId);
    }

    /** The other participants typing now. */
    @Operation(operationId = "listTyping", summary = "List who else is typing")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND})
    @GetMapping
    TypingService.TypingList list(AuthUser caller, @PathVariable UUID conversationId) {
        return typing.typing(caller.id(), conversationId);
    }
}
