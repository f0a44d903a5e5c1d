package dev.parley.message;

import dev.parley.user.UserView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** The contract's message object. Deleted messages are tombstones: no content, no metadata, no attachments. */
public record MessageView(
        UUID messageId,
        UUID conversationId,
        long seq,
        UUID senderId,
        UserView sender,
        String type,
        String content,
        JsonNode metadata,
        ReplyPreview replyTo,
        List<Object> attachments,
        List<ReactionSummary> reactions,
        boolean isEdited,
        Instant editedAt,
        boolean isDeleted,
        Instant createdAt) {

    /** {@code reply_to}: the message replied to, with a short preview of its text. */
    public record ReplyPreview(UUID messageId, UUID senderId, String content) {
    }

    /** One emoji on a message: how many reacted with it and whether the caller did. */
    public record ReactionSummary(String emoji, long count, boolean reactedByMe) {
    }

    MessageView withImage(JsonNode replaced, List<Object> images) {
        return new MessageView(messageId, conversationId, seq, senderId, sender, type, content, replaced, replyTo,
                images, reactions, isEdited, editedAt, isDeleted, createdAt);
    }

    MessageView withReactions(List<ReactionSummary> summaries) {
        return new MessageView(messageId, conversationId, seq, senderId, sender, type, content, metadata, replyTo,
                attachments, summaries, isEdited, editedAt, isDeleted, createdAt);
    }
}
