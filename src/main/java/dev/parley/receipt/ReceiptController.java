package dev.parley.receipt;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Receipts", description = "Delivered and read receipts, unread counts")
@RestController
@RequestMapping("/api/v1")
class ReceiptController {

    private final ReceiptService receipts;

    ReceiptController(ReceiptService receipts) {
        this.receipts = receipts;
    }

    @Operation(operationId = "markRead", summary = "Mark a message and everything before it read")
    @ApiErrors({ErrorCode.MESSAGE_NOT_FOUND})
    @PutMapping("/messages/{messageId}/read")
    ReceiptService.ReadState read(AuthUser caller, @PathVariable UUID messageId) {
        return receipts.markRead(caller.id(), messageId, caller.sessionId());
    }

    @Operation(operationId = "markDelivered", summary = "Mark a message and everything before it delivered")
    @ApiErrors({ErrorCode.MESSAGE_NOT_FOUND})
    @PutMapping("/messages/{messageId}/delivered")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delivered(AuthUser caller, @PathVariable UUID messageId) {
        receipts.markDelivered(caller.id(), messageId);
    }

    @Operation(operationId = "listReceipts", summary = "List a message's receipts")
    @ApiErrors({ErrorCode.MESSAGE_NOT_FOUND})
    @GetMapping("/messages/{messageId}/receipts")
    List<ReceiptService.Receipt> receipts(AuthUser caller, @PathVariable UUID messageId) {
        return receipts.receipts(caller.id(), messageId);
    }

    @Operation(operationId = "markConversationRead", summary = "Mark a whole conversation read")
    @ApiErrors({ErrorCode.CONVERSATION_NOT_FOUND})
    @PutMapping("/conversations/{conversationId}/read-all")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void readAll(AuthUser caller, @PathVariable UUID conversationId) {
        receipts.readAll(caller.id(), conversationId, caller.sessionId());
    }
}
