package dev.parley.receipt;

import dev.parley.common.AuthUser;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
class ReceiptController {

    private final ReceiptService receipts;

    ReceiptController(ReceiptService receipts) {
        this.receipts = receipts;
    }

    @PutMapping("/messages/{messageId}/read")
    ReceiptService.ReadState read(AuthUser caller, @PathVariable UUID messageId) {
        return receipts.markRead(caller.id(), messageId);
    }

    @PutMapping("/messages/{messageId}/delivered")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delivered(AuthUser caller, @PathVariable UUID messageId) {
        receipts.markDelivered(caller.id(), messageId);
    }

    @GetMapping("/messages/{messageId}/receipts")
    List<ReceiptService.Receipt> receipts(AuthUser caller, @PathVariable UUID messageId) {
        return receipts.receipts(caller.id(), messageId);
    }

    @PutMapping("/conversations/{conversationId}/read-all")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void readAll(AuthUser caller, @PathVariable UUID conversationId) {
        receipts.readAll(caller.id(), conversationId);
    }
}
