package dev.parley.conversation;

import dev.parley.common.AuthUser;
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

@RestController
@RequestMapping("/api/v1/conversations")
class ConversationController {

    private final ConversationService conversations;
    private final ParticipantService participants;
    private final DisappearingMessages disappearing;

    ConversationController(ConversationService conversations, ParticipantService participants,
            DisappearingMessages disappearing) {
        this.conversations = conversations;
        this.participants = participants;
        this.disappearing = disappearing;
    }

    /** 201 for a new conversation; 200 with the existing one for a direct pair that already has one. */
    @PostMapping
    ResponseEntity<ConversationView> create(AuthUser caller, @Valid @RequestBody ConversationRequests.Create request) {
        var result = conversations.create(caller.id(), request);
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).body(result.conversation());
    }

    @GetMapping
    ConversationView.Page list(AuthUser caller, @RequestParam(required = false) String before,
            @RequestParam(required = false) Integer limit) {
        return conversations.list(caller.id(), before, limit);
    }

    @GetMapping("/{id}")
    ConversationView get(AuthUser caller, @PathVariable UUID id) {
        return conversations.get(caller.id(), id);
    }

    @PatchMapping("/{id}")
    ConversationView update(AuthUser caller, @PathVariable UUID id,
            @Valid @RequestBody ConversationRequests.Update request) {
        // The group's name and photo first: on a direct conversation they are refused before the timer changes.
        if (request.changesGroup() || request.messageTtlSeconds() == null) {
            conversations.update(caller.id(), id, request);
        }
        if (request.messageTtlSeconds() != null) {
            disappearing.set(caller.id(), id, request.messageTtlSeconds().orElse(null));
        }
        return conversations.get(caller.id(), id);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void leave(AuthUser caller, @PathVariable UUID id) {
        conversations.leaveOrHide(caller.id(), id);
    }

    @PostMapping("/{id}/participants")
    ConversationView addParticipants(AuthUser caller, @PathVariable UUID id,
            @Valid @RequestBody ConversationRequests.AddParticipants request) {
        return participants.add(caller.id(), id, request);
    }

    /** The whole membership, paged; conversation objects carry only a preview of it. */
    @GetMapping("/{id}/participants")
    ConversationView.ParticipantPage participants(AuthUser caller, @PathVariable UUID id,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return participants.list(caller.id(), id, cursor, limit);
    }

    @DeleteMapping("/{id}/participants/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeParticipant(AuthUser caller, @PathVariable UUID id, @PathVariable UUID userId) {
        participants.remove(caller.id(), id, userId);
    }

    @PatchMapping("/{id}/participants/{userId}")
    ConversationView changeRole(AuthUser caller, @PathVariable UUID id, @PathVariable UUID userId,
            @Valid @RequestBody ConversationRequests.ChangeRole request) {
        return participants.changeRole(caller.id(), id, userId, request);
    }

    @PutMapping("/{id}/mute")
    ConversationView mute(AuthUser caller, @PathVariable UUID id, @Valid @RequestBody ConversationRequests.Mute request) {
        return conversations.mute(caller.id(), id, request);
    }
}
