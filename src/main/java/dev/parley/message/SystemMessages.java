package dev.parley.message;

import dev.parley.user.UserView;
import java.util.Map;
import java.util.UUID;

/**
 * System messages (membership and group changes), as the conversation feature posts them: the message feature
 * owns how a message is stored, sequenced and announced, the conversation feature only what it says.
 */
public interface SystemMessages {

    /**
     * Writes a system message inside the caller's transaction, so it commits with the change it describes, and
     * announces it ({@link MessageSent}) in the same transaction. Throws CONVERSATION_NOT_FOUND.
     */
    MessageView post(UUID conversationId, UserView actor, String content, Map<String, Object> metadata);
}
