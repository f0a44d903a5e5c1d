package dev.parley.conversation;

import dev.parley.message.MessageView;
import dev.parley.user.UserView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The contract's conversation object, as seen by one participant. */
public record ConversationView(
        UUID conversationId,
        String type,
        String name,
        String photoUrl,
        UUID createdBy,
        Instant createdAt,
        Instant updatedAt,
        Instant lastMessageAt,
        MessageView lastMessage,
        long unreadCount,
        boolean isMuted,
        Instant mutedUntil,
        String myRole,
        long lastSeq,
        List<Participant> participants) {

    public record Participant(UserView user, String role, Instant joinedAt) {
    }

    /** {@code GET /conversations}: {@code next_cursor} pages on exactly, even across equal timestamps. */
    public record Page(List<ConversationView> conversations, boolean hasMore, String nextCursor) {
    }
}
