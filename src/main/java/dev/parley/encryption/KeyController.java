package dev.parley.encryption;

import dev.parley.common.AuthUser;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The key directory of end-to-end encrypted conversations. */
@RestController
@RequestMapping("/api/v1/users")
class KeyController {

    private final KeyDirectory directory;

    KeyController(KeyDirectory directory) {
        this.directory = directory;
    }

    @PutMapping("/me/keys")
    KeyRequests.Count upload(AuthUser caller, @Valid @RequestBody KeyRequests.Upload request) {
        return directory.upload(caller.id(), request);
    }

    @GetMapping("/me/keys/count")
    KeyRequests.Count count(AuthUser caller) {
        return directory.count(caller.id());
    }

    @GetMapping("/{id}/keys")
    KeyRequests.Bundle bundle(AuthUser caller, @PathVariable UUID id) {
        return directory.bundle(caller.id(), id);
    }
}
