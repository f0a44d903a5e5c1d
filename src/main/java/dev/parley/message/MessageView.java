package dev.parley.message;

import dev.parley.attachment.AttachmentView;
import dev.parley.user.UserView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** The contract's message object. Deleted messages are tombstones: no content, no metadata, no attachments. */
public record MessageView(
        UUID messageId,
        UUID conversationId,
        long seq,
        UUID senderId,
        UserView sender,
        MessageType type,
        @Nullable String content,
        @Nullable JsonNode metadata,
        @Nullable ReplyPreview replyTo,
        List<AttachmentView> attachments,
        List<ReactionSummary> reactions,
        boolean isEdited,
        @Nullable Instant editedAt,
        boolean isDeleted,
        Instant createdAt) {

    /** {@code reply_to}: the message replied to, with a short preview of its text. */
    public record ReplyPreview(
            UUID messageId, UUID senderId, @Nullable String content) {}

    /** One emoji on a message: how many reacted with it and whether the caller did. */
    public record ReactionSummary(String emoji, long count, boolean reactedByMe) {}

    /**
     * The one way to make a message object: fifteen positional arguments invite swapped fields. Unset lists are
     * empty and unset flags false, as for a message just stored.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this message's fields, to change some. */
    Builder toBuilder() {
        return new Builder()
                .messageId(messageId)
                .conversationId(conversationId)
                .seq(seq)
                .sender(sender)
                .type(type)
                .content(content)
                .metadata(metadata)
                .replyTo(replyTo)
                .attachments(attachments)
                .reactions(reactions)
                .edited(isEdited, editedAt)
                .deleted(isDeleted)
                .createdAt(createdAt);
    }

    MessageView withImage(JsonNode replaced, List<AttachmentView> images) {
        return toBuilder().metadata(replaced).attachments(images).build();
    }

    MessageView withReactions(List<ReactionSummary> summaries) {
        return toBuilder().reactions(summaries).build();
    }

    /** See {@link #builder()}. The sender's id is the sender profile's. */
    public static final class Builder {

        private UUID messageId;
        private UUID conversationId;
        private long seq;
        private UserView sender;
        private MessageType type;
        private String content;
        private JsonNode metadata;
        private ReplyPreview replyTo;
        private List<AttachmentView> attachments = List.of();
        private List<ReactionSummary> reactions = List.of();
        private boolean edited;
        private Instant editedAt;
        private boolean deleted;
        private Instant createdAt;

        private Builder() {}

        public Builder messageId(UUID messageId) {
            this.messageId = messageId;
            return this;
        }

        public Builder conversationId(UUID conversationId) {
            this.conversationId = conversationId;
            return this;
        }

        public Builder seq(long seq) {
            this.seq = seq;
            return this;
        }

        public Builder sender(UserView sender) {
            this.sender = sender;
            return this;
        }

        public Builder type(MessageType type) {
            this.type = type;
            return this;
        }

        public Builder content(String content) {
            this.content = content;
            return this;
        }

        public Builder metadata(JsonNode metadata) {
            this.metadata = metadata;
            return this;
        }

        public Builder replyTo(ReplyPreview replyTo) {
            this.replyTo = replyTo;
            return this;
        }

        public Builder attachments(List<AttachmentView> attachments) {
            this.attachments = attachments;
            return this;
        }

        public Builder reactions(List<ReactionSummary> reactions) {
            this.reactions = reactions;
            return this;
        }

        /** {@code at} is when it was last edited; null when {@code edited} is false. */
        public Builder edited(boolean edited, Instant at) {
            this.edited = edited;
            this.editedAt = at;
            return this;
        }

        public Builder deleted(boolean deleted) {
            this.deleted = deleted;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public MessageView build() {
            return new MessageView(
                    messageId,
                    conversationId,
                    seq,
                    sender.userId(),
                    sender,
                    type,
                    content,
                    metadata,
                    replyTo,
                    attachments,
                    reactions,
                    edited,
                    editedAt,
                    deleted,
                    createdAt);
        }
    }
}
