package dev.parley.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The contract's user object. A deleted account reads {@code {user_id, username: null, display_name: "Deleted
 * user", profile_photo_url: null, is_deleted: true}}: its row keeps a placeholder username (see
 * {@link #ERASED_PREFIX}), which every view built from it turns into null, wherever the row was read.
 */
public record UserView(
        UUID userId,
        @Nullable String username,
        String displayName,
        @Nullable String profilePhotoUrl) {

    /**
     * Starts the placeholder username of an erased account ({@code ~} and the user id): no real username can
     * start with it (3-32 of {@code [a-z0-9_.]}).
     */
    public static final String ERASED_PREFIX = "~";

    public static final String DELETED_DISPLAY_NAME = "Deleted user";

    public UserView {
        if (username != null && username.startsWith(ERASED_PREFIX)) {
            username = null;
        }
    }

    /** Present (true) on deleted accounts only, so other user objects keep their shape. */
    @JsonProperty("is_deleted")
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean isDeleted() {
        return username == null;
    }
}
