package dev.parley.encryption;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class KeyRepository {

    record Identity(byte[] identityKey, int signedPrekeyId, byte[] signedPrekey, byte[] signature) {}

    record OneTime(int keyId, byte[] publicKey) {}

    private final JdbcClient jdbc;

    KeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The user's identity row, locked for the rest of the transaction (uploads of one user run one at a time). */
    Optional<Identity> lockIdentity(UUID userId) {
        return jdbc.sql("""
                SELECT identity_key, signed_prekey_id, signed_prekey, signed_prekey_signature
                FROM identity_keys WHERE user_id = :user FOR UPDATE""")
                .param("user", userId)
                .query(KeyRepository::identity)
                .optional();
    }

    Optional<Identity> identity(UUID userId) {
        return jdbc.sql("""
                SELECT identity_key, signed_prekey_id, signed_prekey, signed_prekey_signature
                FROM identity_keys WHERE user_id = :user""")
                .param("user", userId)
                .query(KeyRepository::identity)
                .optional();
    }

    void saveIdentity(UUID userId, Identity identity, Instant now) {
        jdbc.sql("""
                INSERT INTO identity_keys (user_id, identity_key, signed_prekey_id, signed_prekey,
                                           signed_prekey_signature, updated_at)
                VALUES (:user, :ik, :spkId, :spk, :sig, :now)
                ON CONFLICT (user_id) DO UPDATE SET identity_key = EXCLUDED.identity_key,
                    signed_prekey_id = EXCLUDED.signed_prekey_id, signed_prekey = EXCLUDED.signed_prekey,
                    signed_prekey_signature = EXCLUDED.signed_prekey_signature, updated_at = EXCLUDED.updated_at""")
                .param("user", userId)
                .param("ik", identity.identityKey())
                .param("spkId", identity.signedPrekeyId())
                .param("spk", identity.signedPrekey())
                .param("sig", identity.signature())
                .param("now", Timestamp.from(now))
                .update();
    }

    void deleteOneTime(UUID userId) {
        jdbc.sql("DELETE FROM one_time_prekeys WHERE user_id = :user")
                .param("user", userId)
                .update();
    }

    /** Adds one-time prekeys; a key id the user has already is replaced by the new key. */
    void addOneTime(UUID userId, List<OneTime> keys, Instant now) {
        if (keys.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO one_time_prekeys (user_id, key_id, public_key, created_at)
                SELECT :user, k.id, decode(k.pk, 'base64'), :now
                FROM unnest(CAST(:ids AS integer[]), CAST(:pks AS text[])) AS k(id, pk)
                ON CONFLICT (user_id, key_id) DO UPDATE SET public_key = EXCLUDED.public_key,
                    created_at = EXCLUDED.created_at""")
                .param("user", userId)
                .param("ids", keys.stream().map(OneTime::keyId).toArray(Integer[]::new))
                .param(
                        "pks",
                        keys.stream()
                                .map(k -> Base64.getEncoder().encodeToString(k.publicKey()))
                                .toArray(String[]::new))
                .param("now", Timestamp.from(now))
                .update();
    }

    long countOneTime(UUID userId) {
        return jdbc.sql("SELECT count(*) FROM one_time_prekeys WHERE user_id = :user")
                .param("user", userId)
                .query(Long.class)
                .single();
    }

    /**
     * Takes one of the user's one-time prekeys out of the directory: the row is deleted as it is read, and
     * concurrent claims skip rows another claim has locked, so no key is ever handed out twice and no claim waits.
     */
    Optional<OneTime> claimOneTime(UUID userId) {
        return jdbc.sql("""
                DELETE FROM one_time_prekeys WHERE (user_id, key_id) = (
                    SELECT user_id, key_id FROM one_time_prekeys WHERE user_id = :user
                    ORDER BY key_id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING key_id, public_key""")
                .param("user", userId)
                .query((rs, i) -> new OneTime(rs.getInt(1), rs.getBytes(2)))
                .optional();
    }

    /** Every key of the user (account erasure). */
    void erase(UUID userId) {
        deleteOneTime(userId);
        jdbc.sql("DELETE FROM identity_keys WHERE user_id = :user")
                .param("user", userId)
                .update();
    }

    private static Identity identity(ResultSet rs, int i) throws SQLException {
        return new Identity(rs.getBytes(1), rs.getInt(2), rs.getBytes(3), rs.getBytes(4));
    }
}
