package dev.parley.user;

import jakarta.validation.constraints.Size;

/** {@code PATCH /users/me}; absent fields stay as they are, an empty profile_photo_url removes the photo. */
public record UpdateProfileRequest(
        @Size(max = 64) String displayName,
        @Size(max = 2048) @org.hibernate.validator.constraints.URL String profilePhotoUrl) {
}
