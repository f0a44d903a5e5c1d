package dev.parley.message;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.common.ReadSource;
import dev.parley.common.SqlStates;
import dev.parley.common.Text;
import dev.parley.encryption.ConversationEncryption;
import dev.parley.membership.MembershipService;
import dev.parley.moderation.RateLimit;
import dev.parley.moderation.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Full-text search of messages, in one conversation or across the caller's. Reads the search index, which
 * {@link SearchIndexer} fills in the background: a message is found about a second after it was sent, edited
 * or deleted. Each search is bounded by a per-user rate limit and a statement timeout.
 */
@Service
public class SearchService {

    static final int MAX_QUERY_LENGTH = 200;
    /** The statement timeout's SQLSTATE (query_canceled). */
    private static final String CANCELED = "57014";

    private final SearchRepository index;
    private final MessagePreviews messages;
    private final MembershipService access;
    private final ConversationEncryption encryption;
    private final RateLimiter limiter;
    private final TransactionTemplate readOnly;
    private final Duration timeout;
    private final ReadSource reads;

    SearchService(
            SearchRepository index,
            MessagePreviews messages,
            MembershipService access,
            RateLimiter limiter,
            TransactionTemplate transactions,
            SearchProperties properties,
            ConversationEncryption encryption,
            ReadSource reads) {
        this.reads = reads;
        this.encryption = encryption;
        this.index = index;
        this.messages = messages;
        this.access = access;
        this.limiter = limiter;
        this.readOnly = new TransactionTemplate(transactions.getTransactionManager());
        this.readOnly.setReadOnly(true);
        this.readOnly.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.timeout = properties.timeout();
    }

    /**
     * Live text messages and image captions matching {@code query} (web search syntax: words, "phrases", -not,
     * or), newest first, in {@code conversationId} when given, else in every conversation the caller is an active
     * participant of. Throws VALIDATION_FAILED, RATE_LIMIT_EXCEEDED, CONVERSATION_NOT_FOUND, SEARCH_UNAVAILABLE
     * (an end-to-end encrypted conversation; global search leaves those out), SERVICE_UNAVAILABLE (the search took
     * longer than {@code parley.search.timeout}). A replica may serve it ({@link ReadSource}).
     */
    public MessagePage search(UUID viewer, UUID conversationId, String query, String cursor, Integer limit) {
        String q = query == null ? "" : query.strip();
        if (q.isEmpty() || q.length() > MAX_QUERY_LENGTH) {
            throw ParleyException.validation("q", "q must be 1-" + MAX_QUERY_LENGTH + " characters");
        }
        Text.requireStorable("q", q);
        SearchRepository.SearchCursor before = parseCursor(cursor);
        int size = MessageReader.pageSize(limit);
        // Before any database work, so that a flood of searches costs the database nothing.
        limiter.acquire(viewer, RateLimit.SEARCH);
        return reads.read(viewer, () -> page(viewer, conversationId, q, before, size));
    }

    private MessagePage page(
            UUID viewer, UUID conversationId, String q, SearchRepository.SearchCursor before, int size) {
        if (conversationId != null) {
            access.requireMember(conversationId, viewer);
            if (encryption.isEncrypted(conversationId)) {
                throw ConversationEncryption.searchUnavailable();
            }
        }
        List<SearchRepository.Hit> hits = find(viewer, conversationId, q, before, size + 1);
        boolean more = hits.size() > size;
        List<SearchRepository.Hit> page = more ? hits.subList(0, size) : hits;
        // The cursor is the last hit's place even if its message was deleted since it was indexed (a page may
        // then show fewer than it could); paging skips nothing and repeats nothing either way.
        String next = more
                ? page.getLast().createdAt().toEpochMilli() + "_"
                        + page.getLast().conversationId() + "_" + page.getLast().seq()
                : null;
        return new MessagePage(current(page, viewer), more, next);
    }

    private List<SearchRepository.Hit> find(
            UUID viewer, UUID conversationId, String q, SearchRepository.SearchCursor before, int limit) {
        try {
            return readOnly.execute(status -> {
                index.limitStatementTime(timeout);
                return index.find(viewer, conversationId, q, before, limit);
            });
        } catch (DataAccessException e) {
            if (CANCELED.equals(SqlStates.of(e))) {
                throw new ParleyException(
                        ErrorCode.SERVICE_UNAVAILABLE,
                        "The search took too long; try again, or with more specific words",
                        Map.of(),
                        Duration.ofSeconds(1));
            }
            throw e;
        }
    }

    /**
     * The hits as messages now, in the hits' order. The index trails the table by a moment, so a message deleted
     * since it was indexed is left out here rather than shown as a match.
     */
    private List<MessageView> current(List<SearchRepository.Hit> hits, UUID viewer) {
        if (hits.isEmpty()) {
            return List.of();
        }
        var found = messages.previews(
                hits.stream()
                        .map(hit -> new MessagePreviews.PreviewKey(hit.messageId(), hit.createdAt()))
                        .toList(),
                viewer);
        List<MessageView> out = new ArrayList<>(hits.size());
        for (SearchRepository.Hit hit : hits) {
            MessageView view = found.get(hit.messageId());
            if (view != null && !view.isDeleted()) {
                out.add(view);
            }
        }
        return out;
    }

    private static SearchRepository.SearchCursor parseCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        SearchRepository.SearchCursor before;
        String[] parts = cursor.split("_");
        try {
            before = new SearchRepository.SearchCursor(
                    Instant.ofEpochMilli(Long.parseLong(parts[0])),
                    UUID.fromString(parts[1]),
                    Long.parseLong(parts[2]));
        } catch (RuntimeException e) {
            throw ParleyException.validation("cursor", "cursor is not one this server issued");
        }
        Text.requireStorable("cursor", before.createdAt());
        return before;
    }
}
