package dev.parley.conversation;

import dev.parley.membership.ConversationType;
import dev.parley.membership.Role;
import dev.parley.message.MessageView;
import dev.parley.user.UserView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The contract's conversation object, as seen by one participant. {@code participants} is a preview: the first
 * {@link #PARTICIPANT_PREVIEW} active participants in join order (both of a direct conversation), so that no row
 * grows with its group; {@code participant_count} counts them all, and
 * {@code GET /conversations/{id}/participants} pages through them.
 */
public record ConversationView(
        UUID conversationId,
        ConversationType type,
        @Nullable String name,
        @Nullable String photoUrl,
        UUID createdBy,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant lastMessageAt,
        @Nullable MessageView lastMessage,
        long unreadCount,
        boolean isMuted,
        @Nullable Instant mutedUntil,
        Role myRole,
        long lastSeq,
        List<Participant> participants,
        long participantCount,
        /** End-to-end encrypted: content is ciphertext; search and previews of it are unavailable. */
        boolean e2ee,
        /** The disappearing-messages timer; null when off. */
        @Nullable Integer messageTtlSeconds,
        /**
         * True only for the recipient of a request waiting in their requests folder (accept or decline it); the
         * requester's side never says whether or how it was answered.
         */
        boolean isRequest) {

    public static final int PARTICIPANT_PREVIEW = 10;

    public record Participant(UserView user, Role role, Instant joinedAt) {}

    /** {@code GET /conversations/{id}/participants}: active participants in join order. */
    public record ParticipantPage(
            List<Participant> participants,
            boolean hasMore,
            @Nullable String nextCursor) {}

    /**
     * {@code GET /conversations}: {@code next_cursor} pages on exactly, even across equal timestamps.
     * {@code requests}: the caller's requests folder, counted apart (its unread messages are in no other count).
     */
    public record Page(
            List<ConversationView> conversations,
            boolean hasMore,
            @Nullable String nextCursor,
            Requests requests) {}

    /** The requests waiting for the caller, and the unread messages in them. */
    public record Requests(long count, long unreadCount) {}
}
