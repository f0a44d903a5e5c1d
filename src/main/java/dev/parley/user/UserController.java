package dev.parley.user;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
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

@Tag(name = "Users", description = "Profiles, user search and blocking")
@RestController
@RequestMapping("/api/v1/users")
class UserController {

    /** {@code {users: [...]}}: an object, so that fields can be added later. */
    record UserList(List<UserView> users) {}

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @Operation(operationId = "getMe", summary = "Get the caller's profile")
    @GetMapping("/me")
    UserView me(AuthUser caller) {
        return users.get(caller.id());
    }

    @Operation(operationId = "updateMe", summary = "Change the caller's display name or photo")
    @ApiErrors({ErrorCode.USER_NOT_FOUND})
    @PatchMapping("/me")
    UserView updateMe(AuthUser caller, @Valid @RequestBody UpdateProfileRequest request) {
        return users.updateProfile(caller.id(), request);
    }

    @Operation(operationId = "getUser", summary = "Get a user")
    @ApiErrors({ErrorCode.USER_NOT_FOUND})
    @GetMapping("/{id}")
    UserView get(AuthUser caller, @PathVariable UUID id) {
        return users.get(id);
    }

    @Operation(operationId = "searchUsers", summary = "Find users by username or display name prefix")
    @ApiErrors({ErrorCode.RATE_LIMIT_EXCEEDED})
    @GetMapping
    UserList search(AuthUser caller, @RequestParam String query) {
        return new UserList(users.search(caller.id(), query));
    }

    @Operation(operationId = "blockUser", summary = "Block a user")
    @ApiErrors({ErrorCode.USER_NOT_FOUND})
    @PostMapping("/{id}/block")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void block(AuthUser caller, @PathVariable UUID id) {
        users.block(caller.id(), id);
    }

    @Operation(operationId = "unblockUser", summary = "Unblock a user")
    @ApiErrors({ErrorCode.USER_NOT_FOUND})
    @DeleteMapping("/{id}/block")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unblock(AuthUser caller, @PathVariable UUID id) {
        users.unblock(caller.id(), id);
    }

    @Operation(operationId = "listBlockedUsers", summary = "List the users the caller blocked")
    @GetMapping("/me/blocks")
    UserList blocks(AuthUser caller) {
        return new UserList(users.blocked(caller.id()));
    }
}
