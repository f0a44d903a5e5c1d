package dev.parley.message;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Assembles message objects for a viewer: stored messages get their image's current metadata and fresh signed
 * URLs, and the viewer's reaction summaries. Every message a client sees passes through here, whichever path
 * read it (history, a send's answer, previews, search, sync).
 */
@Component
class MessageViews {

    private final ImageMetadataMerge images;
    private final ReactionSummaries reactions;

    MessageViews(ImageMetadataMerge images, ReactionSummaries reactions) {
        this.images = images;
        this.reactions = reactions;
    }

    /**
     * Everything a page of messages needs for this viewer: their reactions, and for image messages fresh signed
     * URLs (the caller has checked the viewer may see them). Two queries at most, however long the page.
     */
    List<MessageView> forViewer(List<MessageView> stored, UUID viewer) {
        if (stored.isEmpty()) {
            return stored;
        }
        List<MessageView> page = images.merge(stored);
        var summaries =
                reactions.forMessages(page.stream().map(MessageView::messageId).toList(), viewer);
        if (summaries.isEmpty()) {
            return page;
        }
        List<MessageView> out = new ArrayList<>(page.size());
        for (MessageView view : page) {
            var found = summaries.get(view.messageId());
            out.add(found == null || view.isDeleted() ? view : view.withReactions(found));
        }
        return out;
    }

    MessageView forViewer(MessageView stored, UUID viewer) {
        return forViewer(List.of(stored), viewer).getFirst();
    }

    /** A message just stored: its image's state and URLs; it has no reactions yet. */
    MessageView justStored(MessageView stored) {
        return images.merge(List.of(stored)).getFirst();
    }
}
