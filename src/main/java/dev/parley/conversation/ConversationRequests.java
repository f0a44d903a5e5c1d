package dev.parley.conversation;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Request bodies of {@code /conversations}. */
public final class ConversationRequests {

    public static final int MAX_GROUP_SIZE = 1000;

    private ConversationRequests() {}

    public record Create(
            @NotNull @Pattern(regexp = "direct|group", message = "must be direct or group")
            String type,

            @Size(max = 100) @Nullable String name,

            @Size(max = 2048) @Pattern(regexp = "(?i)(https?://\\S+)?", message = "must be an http(s) URL") @Nullable
            String photoUrl,

            @NotNull @Size(max = MAX_GROUP_SIZE - 1) List<@NotNull UUID> participantIds,

            /** End-to-end encrypted: fixed at creation. A pair may have one plain and one encrypted direct chat. */
            @Nullable Boolean e2ee) {

        boolean encrypted() {
            return Boolean.TRUE.equals(e2ee);
        }
    }

    /**
     * Absent fields stay; an empty photo_url removes the photo. {@code message_ttl_seconds}: absent (null) leaves
     * the timer, JSON null (empty) turns it off, a number (30 to 31,536,000) sets it.
     */
    public record Update(
            @Size(max = 100) @Nullable String name,

            @Size(max = 2048) @Pattern(regexp = "(?i)(https?://\\S+)?", message = "must be an http(s) URL") @Nullable
            String photoUrl,

            @Nullable Optional<Integer> messageTtlSeconds) {

        boolean changesGroup() {
            return name != null || photoUrl != null;
        }
    }

    public record AddParticipants(@NotEmpty @Size(max = 100) List<@NotNull UUID> userIds) {}

    public record ChangeRole(
            @NotNull @Pattern(regexp = "admin|member", message = "must be admin or member")
            String role) {}

    /** {@code until}: optional end of the mute; absent means until unmuted. */
    public record Mute(@NotNull Boolean muted, @Nullable Instant until) {}

    /** {@code POST /conversations/{id}/decline}: {@code block} also blocks the requester. */
    public record Decline(@Nullable Boolean block) {}
}
