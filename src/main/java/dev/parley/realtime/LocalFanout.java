package dev.parley.realtime;

import dev.parley.common.ChatMetrics;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Single-node fan-out: the devices connected to this node. Never blocks: each socket queues its own frames. */
@Component
class LocalFanout implements Fanout {

    private final SessionRegistry sessions;
    private final ChatMetrics metrics;

    LocalFanout(SessionRegistry sessions, ChatMetrics metrics) {
        this.sessions = sessions;
        this.metrics = metrics;
    }

    @Override
    public void publish(Set<UUID> userIds, Frame frame) {
        int handed = 0;
        for (UUID user : userIds) {
            for (Connection connection : sessions.of(user)) {
                if (!connection.id().equals(frame.origin()) && connection.send(frame.message())) {
                    handed++;
                }
            }
        }
        if (Frames.MESSAGE_NEW.equals(frame.type())) {
            metrics.messagesDelivered(handed);
        }
    }
}
