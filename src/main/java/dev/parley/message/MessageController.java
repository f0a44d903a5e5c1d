package dev.parley.message;

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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
class MessageController {

    private final MessageSender sender;
    private final MessageReader reader;
    private final MessageEditor editor;
    private final SearchService search;

    MessageController(MessageSender sender, MessageReader reader, MessageEditor editor, SearchService search) {
        this.sender = sender;
        this.reader = reader;
        this.editor = editor;
        this.search = search;
    }

    /** 201 with the new message, or 200 with the original when the client_message_id was seen before. */
    @PostMapping("/conversations/{conversationId}/messages")
    ResponseEntity<MessageView> send(
            AuthUser caller, @PathVariable UUID conversationId, @Valid @RequestBody SendMessageRequest request) {
        var result = sender.send(caller.id(), conversationId, request);
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(result.message());
    }

    @GetMapping("/conversations/{conversationId}/messages")
    MessagePage history(
            AuthUser caller,
            @PathVariable UUID conversationId,
            @RequestParam(name = "before_id", required = false) UUID beforeId,
            @RequestParam(name = "after_id", required = false) UUID afterId,
            @RequestParam(required = false) Integer limit) {
        return reader.history(caller.id(), conversationId, beforeId, afterId, limit);
    }

    @GetMapping("/conversations/{conversationId}/messages/search")
    MessagePage searchIn(
            AuthUser caller,
            @PathVariable UUID conversationId,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return search.search(caller.id(), conversationId, q, cursor, limit);
    }

    @GetMapping("/messages/search")
    MessagePage search(
            AuthUser caller,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return search.search(caller.id(), null, q, cursor, limit);
    }

    @GetMapping("/messages/{messageId}")
    MessageView get(AuthUser caller, @PathVariable UUID messageId) {
        return reader.get(caller.id(), messageId);
    }

    @PatchMapping("/messages/{messageId}")
    MessageView edit(AuthUser caller, @PathVariable UUID messageId, @Valid @RequestBody EditMessageRequest request) {
        return editor.edit(caller.id(), messageId, request);
    }

    @DeleteMapping("/messages/{messageId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(AuthUser caller, @PathVariable UUID messageId) {
        editor.delete(caller.id(), messageId);
    }
}
