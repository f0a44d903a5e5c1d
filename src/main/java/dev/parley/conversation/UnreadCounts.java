package dev.parley.conversation;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * What notifications need to know of conversations, by the same rules as the conversation list: the exact unread
 * count (a badge is the total over unmuted conversations), who has a conversation muted now, and group names.
 * The caller has decided who may be told; these answer for any user.
 */
@Service
public class UnreadCounts {

    private final UnreadRepository unread;
    private final Clock clock;

    UnreadCounts(UnreadRepository unread, Clock clock) {
        this.unread = unread;
        this.clock = clock;
    }

    /** Each user's unread total over the active conversations they have not muted now; 0 for users absent. */
    public Map<UUID, Long> badges(Collection<UUID> userIds) {
        return userIds.isEmpty() ? Map.of() : unread.badges(userIds, clock.instant());
    }

    /** A user's read watermark in a conversation, as a receipt event carried it. */
    public record ReadAt(UUID conversationId, UUID userId, long lastReadSeq) {}

    /**
     * Those of {@code reads} whose user, an active participant, still has the read watermark there and nothing
     * unread after it; one statement for all of them.
     */
    public Set<ReadAt> readToEnd(Collection<ReadAt> reads) {
        return reads.isEmpty() ? Set.of() : unread.readToEnd(reads);
    }

    /** For each of these conversations (each id present), its active participants who have it muted now. */
    public Map<UUID, Set<UUID>> mutedBy(Collection<UUID> conversationIds) {
        return conversationIds.isEmpty() ? Map.of() : unread.mutedBy(conversationIds, clock.instant());
    }

    /** The names of those conversations that are groups (direct ones are absent). */
    public Map<UUID, String> groupNames(Collection<UUID> conversationIds) {
        return conversationIds.isEmpty() ? Map.of() : unread.groupNames(conversationIds);
    }
}
