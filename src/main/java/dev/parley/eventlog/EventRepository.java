package dev.parley.eventlog;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Inserts into {@code events}; reached through {@link EventAppender}, which guards the transaction. */
@Repository
class EventRepository {

    private final JdbcClient jdbc;

    EventRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID conversationId, String type, UUID actorId, UUID messageId, String dataJson, UUID origin) {
        jdbc.sql("""
                INSERT INTO events (conversation_id, type, actor_id, message_id, data, origin_session)
                VALUES (:cid, :type, :actor, :mid, CAST(:data AS jsonb), :origin)""")
                .param("cid", conversationId)
                .param("type", type)
                .param("actor", actorId)
                .param("mid", messageId)
                .param("data", dataJson)
                .param("origin", origin)
                .update();
    }
}
