package dev.parley.contact;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Mutual contact requests between Parley's own accounts; see ContactService. */
@Tag(name = "Contacts", description = "Contacts and contact requests: who may start a conversation with whom")
@RestController
@RequestMapping("/api/v1/users")
class ContactController {

    private final ContactService contacts;

    ContactController(ContactService contacts) {
        this.contacts = contacts;
    }

    /** {@code status}: {@code accepted} when the other side had asked too, else {@code outgoing}. */
    @Operation(operationId = "requestContact", summary = "Ask a user to be a contact, or accept their request")
    @ApiErrors({ErrorCode.USER_NOT_FOUND, ErrorCode.USER_BLOCKED, ErrorCode.RATE_LIMIT_EXCEEDED})
    @PostMapping("/{id}/contact")
    ContactService.ContactView request(AuthUser caller, @PathVariable UUID id) {
        return contacts.request(caller.id(), id);
    }

    @Operation(operationId = "removeContact", summary = "End a contact, withdraw or refuse a contact request")
    @ApiErrors({ErrorCode.USER_NOT_FOUND})
    @DeleteMapping("/{id}/contact")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(AuthUser caller, @PathVariable UUID id) {
        contacts.remove(caller.id(), id);
    }

    @Operation(operationId = "listContacts", summary = "List the caller's contacts, or incoming or outgoing requests")
    @GetMapping("/me/contacts")
    ContactService.ContactPage list(
            AuthUser caller,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return contacts.list(caller.id(), status, cursor, limit);
    }
}
