package dev.parley.encryption;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class EncryptionRepository {

    private final JdbcClient jdbc;

    EncryptionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The conversation's flag; empty when it does not exist. */
    Optional<Boolean> encrypted(UUID conversationId) {
        return jdbc.sql("SELECT e2ee FROM conversations WHERE conversation_id = :cid")
                .param("cid", conversationId)
                .query(Boolean.class)
                .optional();
    }
}
