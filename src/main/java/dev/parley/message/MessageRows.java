package dev.parley.message;

import dev.parley.user.UserView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Rows of {@link MessageRepository}'s queries as values: a message's position, and a whole message view. */
final class MessageRows {

    private final JsonMapper json;

    MessageRows(JsonMapper json) {
        this.json = json;
    }

    static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    static MessageRepository.Position position(ResultSet rs, int i) throws SQLException {
        return new MessageRepository.Position(
                rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class),
                rs.getLong(3),
                rs.getObject(4, UUID.class),
                MessageType.of(rs.getString(5)),
                rs.getBoolean(6),
                rs.getTimestamp(7).toInstant());
    }

    MessageView view(ResultSet rs, int i) throws SQLException {
        UUID senderId = rs.getObject("sender_id", UUID.class);
        boolean deleted = rs.getBoolean("is_deleted");
        UUID replyId = rs.getObject("reply_to_message_id", UUID.class);
        MessageView.ReplyPreview reply = replyId == null
                ? null
                : new MessageView.ReplyPreview(
                        replyId, rs.getObject("reply_sender_id", UUID.class), rs.getString("reply_preview"));
        String metadata = rs.getString("metadata");
        JsonNode meta = deleted || metadata == null ? json.createObjectNode() : json.readTree(metadata);
        Timestamp editedAt = rs.getTimestamp("edited_at");
        return MessageView.builder()
                .messageId(rs.getObject("message_id", UUID.class))
                .conversationId(rs.getObject("conversation_id", UUID.class))
                .seq(rs.getLong("seq"))
                .sender(new UserView(
                        senderId,
                        rs.getString("username"),
                        rs.getString("display_name"),
                        rs.getString("profile_photo_url")))
                .type(MessageType.of(rs.getString("message_type")))
                .content(deleted ? null : rs.getString("content"))
                .metadata(meta)
                .replyTo(deleted ? null : reply)
                .edited(rs.getBoolean("is_edited"), editedAt == null ? null : editedAt.toInstant())
                .deleted(deleted)
                .createdAt(rs.getTimestamp("created_at").toInstant())
                .expiresAt(instant(rs.getTimestamp("expires_at")))
                .build();
    }
}
