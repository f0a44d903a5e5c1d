package dev.parley.reaction;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Messages")
@RestController
@RequestMapping("/api/v1/messages/{messageId}/reactions")
class ReactionController {

    record AddReaction(@NotNull String emoji) {}

    private final ReactionService reactions;

    ReactionController(ReactionService reactions) {
        this.reactions = reactions;
    }

    /** 201 with the message's reactions; adding the same emoji again changes nothing. */
    @Operation(operationId = "addReaction", summary = "React to a message with an emoji")
    @ApiErrors({ErrorCode.MESSAGE_NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.USER_BLOCKED, ErrorCode.TOO_MANY_REACTIONS})
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ReactionService.Reactions add(AuthUser caller, @PathVariable UUID messageId, @Valid @RequestBody AddReaction body) {
        return reactions.add(caller.id(), messageId, body.emoji());
    }

    /** The emoji is URL-encoded in the path; Spring decodes it. */
    @Operation(operationId = "removeReaction", summary = "Take back the caller's reaction")
    @ApiErrors({ErrorCode.MESSAGE_NOT_FOUND})
    @DeleteMapping("/{emoji}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(AuthUser caller, @PathVariable UUID messageId, @PathVariable String emoji) {
        reactions.remove(caller.id(), messageId, emoji);
    }
}
