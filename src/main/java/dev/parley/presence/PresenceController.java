package dev.parley.presence;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Presence and typing", description = "Who is online, who is typing")
@RestController
class PresenceController {

    private final PresenceService presence;

    PresenceController(PresenceService presence) {
        this.presence = presence;
    }

    /**
     * {@code {user_id, status, last_seen_at, device_count}}; 404 USER_NOT_FOUND for an unknown id, 403 FORBIDDEN
     * unless the caller shares a conversation with the user and neither blocked the other, 503 while Redis is down.
     */
    @Operation(operationId = "getPresence", summary = "Get a user's presence")
    @ApiErrors({ErrorCode.USER_NOT_FOUND, ErrorCode.FORBIDDEN})
    @GetMapping("/api/v1/users/{userId}/presence")
    PresenceView presence(AuthUser caller, @PathVariable UUID userId) {
        return presence.presence(caller.id(), userId);
    }
}
