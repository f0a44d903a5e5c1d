package dev.parley.message;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Messages", description = "Send, read, edit, delete and search messages")
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
    @Operation(operationId = "sendMessage", summary = "Send a message")
    @ApiErrors({
        ErrorCode.CONVERSATION_NOT_FOUND,
        ErrorCode.USER_BLOCKED,
        ErrorCode.MESSAGE_TOO_LONG,
        ErrorCode.ATTACHMENT_NOT_FOUND,
        ErrorCode.INVALID_ATTACHMENT,
        ErrorCode.CONFLICT,
        ErrorCode.RATE_LIMIT_EXCEEDED
    })
    @ApiResponse(responseCode = "201", description = "The message, stored now")
    @ApiResponse(responseCode = "200", description = "A retry: the message stored before with this client_message_id")
    @PostMapping("/conversations/{conversationId}/messages")
    ResponseEntity<MessageView> send(
            AuthUser caller, @PathVariable UUID conversationId, @Valid @RequestBody SendMessageRequest request) {
        var result = sender.send(caller.id(), conversationId, request);
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(result.message());
    }

    @Operation(operationId = "listMessages", summary = "Page through a conversation's history")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND, ErrorCode.MESSAGE_NOT_FOUND})
    @GetMapping("/conversations/{conversationId}/messages")
    MessagePage history(
            AuthUser caller,
            @PathVariable UUID conversationId,
            @RequestParam(name = "before_id", required = false) UUID beforeId,
            @RequestParam(name = "after_id", required = false) UUID afterId,
            @RequestParam(required = false) Integer limit) {
        return reader.history(caller.id(), conversationId, beforeId, afterId, limit);
    }

    @Operation(operationId = "searchConversation", summary = "Search the messages of one conversation")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND, ErrorCode.RATE_LIMIT_EXCEEDED})
    @GetMapping("/conversations/{conversationId}/messages/search")
    MessagePage searchIn(
            AuthUser caller,
            @PathVariable UUID conversationId,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return search.search(caller.id(), conversationId, q, cursor, limit);
    }

    @Operation(operationId = "searchMessages", summary = "Search every conversation the caller is in")
    @ApiErrors({ErrorCode.RATE_LIMIT_EXCEEDED})
    @GetMapping("/messages/search")
    MessagePage search(
            AuthUser caller,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return search.search(caller.id(), null, q, cursor, limit);
    }

    @Operation(operationId = "getMessage", summary = "Get a message")
    @ApiErrors({ErrorCode.MESSAGE_NOT_FOUND})
    @GetMapping("/messages/{messageId}")
    MessageView get(AuthUser caller, @PathVariable UUID messageId) {
        return reader.get(caller.id(), messageId);
    }

    @Operation(operationId = "editMessage", summary = "Edit a text message")
    @ApiErrors({ErrorCode.MESSAGE_NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.CONFLICT, ErrorCode.MESSAGE_TOO_LONG})
    @PatchMapping("/messages/{messageId}")
    MessageView edit(AuthUser caller, @PathVariable UUID messageId, @Valid @RequestBody EditMessageRequest request) {
        return editor.edit(caller.id(), messageId, request);
    }

    @Operation(operationId = "deleteMessage", summary = "Delete a message, leaving a tombstone")
    @ApiErrors({ErrorCode.MESSAGE_NOT_FOUND, ErrorCode.FORBIDDEN})
    @DeleteMapping("/messages/{messageId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(AuthUser caller, @PathVariable UUID messageId) {
        editor.delete(caller.id(), messageId);
    }
}
