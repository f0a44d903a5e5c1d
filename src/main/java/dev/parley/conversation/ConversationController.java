package dev.parley.conversation;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import dev.parley.common.ReadSource;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Conversations", description = "Direct and group conversations, participants, roles and mute")
@RestController
@RequestMapping("/api/v1/conversations")
class ConversationController {

    private final ConversationService conversations;
    private final ReadSource reads;
    private final ParticipantService participants;
    private final DisappearingMessages disappearing;
    private final RequestFolder requests;

    ConversationController(
            ConversationService conversations,
            ParticipantService participants,
            DisappearingMessages disappearing,
            ReadSource reads,
            RequestFolder requests) {
        this.reads = reads;
        this.conversations = conversations;
        this.participants = participants;
        this.disappearing = disappearing;
        this.requests = requests;
    }

    /** 201 for a new conversation; 200 with the existing one for a direct pair that already has one. */
    @Operation(operationId = "createConversation", summary = "Start a direct conversation or create a group")
    @ApiErrors({
        ErrorCode.USER_NOT_FOUND,
        ErrorCode.USER_BLOCKED,
        ErrorCode.NOT_A_CONTACT,
        ErrorCode.RATE_LIMIT_EXCEEDED,
        ErrorCode.CONTENT_REJECTED
    })
    @ApiResponse(responseCode = "201", description = "A new conversation")
    @ApiResponse(responseCode = "200", description = "The direct conversation the two users already have")
    @PostMapping
    ResponseEntity<ConversationView> create(AuthUser caller, @Valid @RequestBody ConversationRequests.Create request) {
        var result = conversations.create(caller.id(), request);
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(result.conversation());
    }

    /** {@code folder=requests}: the requests waiting for the caller instead; each page counts them apart. */
    @Operation(operationId = "listConversations", summary = "List the caller's conversations, newest activity first")
    @ApiErrors({ErrorCode.VALIDATION_FAILED})
    @GetMapping
    ConversationView.Page list(
            AuthUser caller,
            @RequestParam(required = false) String folder,
            @RequestParam(required = false) String before,
            @RequestParam(required = false) Integer limit) {
        // A replica may serve the list (ReadSource); the folder's reads are all plain reads.
        return reads.read(caller.id(), () -> requests.list(caller.id(), folder, before, limit));
    }

    @Operation(operationId = "acceptRequest", summary = "Accept a conversation request or group invitation")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND, ErrorCode.VALIDATION_FAILED})
    @PostMapping("/{id}/accept")
    ConversationView accept(AuthUser caller, @PathVariable UUID id) {
        return requests.accept(caller.id(), id);
    }

    /** The requester is told nothing; {@code {block: true}} blocks them as well. */
    @Operation(operationId = "declineRequest", summary = "Decline a conversation request or group invitation")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND})
    @PostMapping("/{id}/decline")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void decline(
            AuthUser caller,
            @PathVariable UUID id,
            @Valid @RequestBody(required = false) ConversationRequests.Decline request) {
        requests.decline(caller.id(), id, request != null && Boolean.TRUE.equals(request.block()));
    }

    @Operation(operationId = "getConversation", summary = "Get a conversation")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND})
    @GetMapping("/{id}")
    ConversationView get(AuthUser caller, @PathVariable UUID id) {
        return conversations.get(caller.id(), id);
    }

    @Operation(
            operationId = "updateConversation",
            summary = "Rename a group, change its photo, or set disappearing messages")
    @ApiErrors({
        ErrorCode.CONVERSATION_NOT_FOUND,
        ErrorCode.FORBIDDEN,
        ErrorCode.VALIDATION_FAILED,
        ErrorCode.CONTENT_REJECTED
    })
    @PatchMapping("/{id}")
    ConversationView update(
            AuthUser caller, @PathVariable UUID id, @Valid @RequestBody ConversationRequests.Update request) {
        // The group's name and photo first: on a direct conversation they are refused before the timer changes.
        if (request.changesGroup() || request.messageTtlSeconds() == null) {
            conversations.update(caller.id(), id, request);
        }
        if (request.messageTtlSeconds() != null) {
            disappearing.set(caller.id(), id, request.messageTtlSeconds().orElse(null));
        }
        return conversations.get(caller.id(), id);
    }

    @Operation(operationId = "leaveConversation", summary = "Leave a group, or hide a direct conversation")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND})
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void leave(AuthUser caller, @PathVariable UUID id) {
        conversations.leaveOrHide(caller.id(), id);
    }

    @Operation(operationId = "addParticipants", summary = "Add members to a group")
    @ApiErrors({
        ErrorCode.CONVERSATION_NOT_FOUND,
        ErrorCode.FORBIDDEN,
        ErrorCode.USER_NOT_FOUND,
        ErrorCode.USER_BLOCKED,
        ErrorCode.NOT_A_CONTACT,
        ErrorCode.RATE_LIMIT_EXCEEDED
    })
    @PostMapping("/{id}/participants")
    ConversationView addParticipants(
            AuthUser caller, @PathVariable UUID id, @Valid @RequestBody ConversationRequests.AddParticipants request) {
        return participants.add(caller.id(), id, request);
    }

    /** The whole membership, paged; conversation objects carry only a preview of it. */
    @Operation(operationId = "listParticipants", summary = "List a conversation's participants")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND})
    @GetMapping("/{id}/participants")
    ConversationView.ParticipantPage participants(
            AuthUser caller,
            @PathVariable UUID id,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return participants.list(caller.id(), id, cursor, limit);
    }

    @Operation(operationId = "removeParticipant", summary = "Remove a member from a group, or leave it")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.USER_NOT_FOUND})
    @DeleteMapping("/{id}/participants/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeParticipant(AuthUser caller, @PathVariable UUID id, @PathVariable UUID userId) {
        participants.remove(caller.id(), id, userId);
    }

    @Operation(operationId = "changeRole", summary = "Change a member's role")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.USER_NOT_FOUND})
    @PatchMapping("/{id}/participants/{userId}")
    ConversationView changeRole(
            AuthUser caller,
            @PathVariable UUID id,
            @PathVariable UUID userId,
            @Valid @RequestBody ConversationRequests.ChangeRole request) {
        return participants.changeRole(caller.id(), id, userId, request);
    }

    @Operation(operationId = "muteConversation", summary = "Mute or unmute a conversation")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND})
    @PutMapping("/{id}/mute")
    ConversationView mute(
            AuthUser caller, @PathVariable UUID id, @Valid @RequestBody ConversationRequests.Mute request) {
        return conversations.mute(caller.id(), id, request);
    }
}
