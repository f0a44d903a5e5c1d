package dev.parley.user;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.URL;
import org.jspecify.annotations.Nullable;

/** {@code PATCH /users/me}; absent fields stay as they are, an empty profile_photo_url removes the photo. */
public record UpdateProfileRequest(
        @Size(max = 64) @Nullable String displayName,
        // Clients render this as an image source: only web URLs, never file:, data: or other schemes.
        @Size(max = 2048)
        @URL
        @Pattern(regexp = "(?i)(https?://.+)?", message = "must be an http or https URL")
        @Nullable
        String profilePhotoUrl) {}
