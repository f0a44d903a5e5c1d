package dev.parley.message;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code {messages, has_more, next_cursor}}; next_cursor is only set for search results. */
public record MessagePage(
        List<MessageView> messages,
        boolean hasMore,
        @Nullable String nextCursor) {}
