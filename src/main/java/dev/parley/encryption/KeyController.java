package dev.parley.encryption;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The key directory of end-to-end encrypted conversations. */
@Tag(name = "Encryption keys", description = "The key directory of end-to-end encrypted conversations")
@RestController
@RequestMapping("/api/v1/users")
class KeyController {

    private final KeyDirectory directory;

    KeyController(KeyDirectory directory) {
        this.directory = directory;
    }

    @Operation(operationId = "uploadKeys", summary = "Publish the caller's identity key and prekeys")
    @ApiErrors({ErrorCode.VALIDATION_FAILED})
    @PutMapping("/me/keys")
    KeyRequests.Count upload(AuthUser caller, @Valid @RequestBody KeyRequests.Upload request) {
        return directory.upload(caller.id(), request);
    }

    @Operation(operationId = "countPrekeys", summary = "How many one-time prekeys the caller has left")
    @ApiErrors({ErrorCode.UNAUTHORIZED})
    @GetMapping("/me/keys/count")
    KeyRequests.Count count(AuthUser caller) {
        return directory.count(caller.id());
    }

    @Operation(operationId = "getKeyBundle", summary = "A user's key bundle, with one one-time prekey")
    @ApiErrors({ErrorCode.USER_NOT_FOUND})
    @GetMapping("/{id}/keys")
    KeyRequests.Bundle bundle(AuthUser caller, @PathVariable UUID id) {
        return directory.bundle(caller.id(), id);
    }
}
