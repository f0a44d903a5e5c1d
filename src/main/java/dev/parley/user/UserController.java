package dev.parley.user;

import dev.parley.common.AuthUser;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
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
@RequestMapping("/api/v1/users")
class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @GetMapping("/me")
    UserView me(AuthUser caller) {
        return users.get(caller.id());
    }

    @PatchMapping("/me")
    UserView updateMe(AuthUser caller, @Valid @RequestBody UpdateProfileRequest request) {
        return users.updateProfile(caller.id(), request);
    }

    @GetMapping("/{id}")
    UserView get(AuthUser caller, @PathVariable UUID id) {
        return users.get(id);
    }

    @GetMapping
    Map<String, List<UserView>> search(AuthUser caller, @RequestParam String query) {
        return Map.of("users", users.search(caller.id(), query));
    }

    @PostMapping("/{id}/block")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void block(AuthUser caller, @PathVariable UUID id) {
        users.block(caller.id(), id);
    }

    @DeleteMapping("/{id}/block")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unblock(AuthUser caller, @PathVariable UUID id) {
        users.unblock(caller.id(), id);
    }

    @GetMapping("/me/blocks")
    Map<String, List<UserView>> blocks(AuthUser caller) {
        return Map.of("users", users.blocked(caller.id()));
    }
}
