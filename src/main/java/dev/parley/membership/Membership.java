package dev.parley.membership;

import dev.parley.user.UserView;
import java.util.UUID;

/**
 * An active participant's standing in a conversation. {@code blocked} is true in a direct conversation where
 * either side blocked the other.
 */
public record Membership(UUID conversationId, ConversationType type, Role role, boolean blocked, UserView member) {

    public boolean isGroup() {
        return type == ConversationType.GROUP;
    }

    public boolean canModerate() {
        return isGroup() && role.moderates();
    }
}
