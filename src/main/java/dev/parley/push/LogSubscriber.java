package dev.parley.push;

import java.util.List;
import java.util.Map;

/**
 * Another consumer riding on the notify consumer's pass over the catch-up log (webhooks): it gets each batch in
 * log order, inside the transaction that moves the cursor, so what it stores commits exactly once with it.
 */
public interface LogSubscriber {

    /** True when it wants every event; otherwise the consumer reads only the types notifications need. */
    boolean active();

    /**
     * A batch of events in log order, and for each message event the notifications the rule requested for it (by
     * event id). Runs in the consumer's transaction; an exception rolls the batch back, to be read again.
     */
    void accept(List<LogEvent> events, Map<Long, List<NotificationRequested>> notifications);
}
