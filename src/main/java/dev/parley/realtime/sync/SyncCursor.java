package dev.parley.realtime.sync;

import dev.parley.common.ParleyException;

/**
 * A position in the catch-up log: the last event returned, as (transaction id, event id). Clients treat its
 * text ({@code <xid>_<event_id>}) as opaque; events are returned strictly after it, in (xid, event_id) order.
 */
record SyncCursor(long xid, long eventId) implements Comparable<SyncCursor> {

    /** Before every event. */
    static final SyncCursor START = new SyncCursor(0, 0);

    /** Throws VALIDATION_FAILED when the text is not a cursor this server issued. */
    static SyncCursor parse(String field, String text) {
        int at = text.indexOf('_');
        try {
            if (at > 0 && at < text.length() - 1 && text.length() <= 41) {
                SyncCursor cursor = new SyncCursor(
                        Long.parseLong(text, 0, at, 10), Long.parseLong(text, at + 1, text.length(), 10));
                if (cursor.xid >= 0 && cursor.eventId >= 0) {
                    return cursor;
                }
            }
        } catch (NumberFormatException e) {
            // Falls through to the answer below.
        }
        throw ParleyException.validation(field, field + " is not a cursor this server issued");
    }

    @Override
    public String toString() {
        return xid + "_" + eventId;
    }

    @Override
    public int compareTo(SyncCursor other) {
        int byXid = Long.compare(xid, other.xid);
        return byXid != 0 ? byXid : Long.compare(eventId, other.eventId);
    }
}
