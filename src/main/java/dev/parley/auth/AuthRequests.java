package dev.parley.auth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** Request bodies of {@code /auth}. */
public final class AuthRequests {

    private AuthRequests() {}

    public record Register(
            @NotNull @Pattern(regexp = "[a-z0-9_.]{3,32}", message = "must be 3-32 of a-z, 0-9, _ and .")
            String username,

            @NotNull @Size(min = 8, max = 256) String password,
            @Size(max = 64) @Nullable String displayName) {}

    public record Login(
            @NotNull @Size(max = 64) String username,
            @NotNull @Size(max = 256) String password) {}

    public record Refresh(@NotBlank @Size(max = 256) String refreshToken) {}

    /** {@code PUT /users/me/password}: the new password follows the registration rule. */
    public record ChangePassword(
            @NotNull @Size(max = 256) String currentPassword,
            @NotNull @Size(min = 8, max = 256) String newPassword) {}
}
