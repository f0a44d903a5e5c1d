package dev.parley.user;

import dev.parley.common.Ids;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class UserRepository {

    static final RowMapper<UserView> USER = (rs, i) -> new UserView(
            rs.getObject("user_id", UUID.class),
            rs.getString("username"),
            rs.getString("display_name"),
            rs.getString("profile_photo_url"));

    record Credentials(UUID userId, String passwordHash, AccountStanding standing) {}

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a user; returns false when the username is taken. */
    boolean insert(UUID id, String username, String displayName, String passwordHash, Instant now) {
        return jdbc.sql("""
                INSERT INTO users (user_id, username, display_name, password_hash, created_at, updated_at)
                SELECT :id, :username, :displayName, :hash, :now, :now
                -- A deleted account's username stays unavailable for the cool-down.
                WHERE NOT EXISTS (SELECT 1 FROM username_holds WHERE username = :username AND free_at > :now)
                ON CONFLICT (username) DO NOTHING""")
                        .param("id", id)
                        .param("username", username)
                        .param("displayName", displayName)
                        .param("hash", passwordHash)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    /** Finds or creates the user behind an external identity; a taken username gets a numeric suffix. */
    UUID upsertExternal(
            String issuer, String subject, String username, String displayName, String photoUrl, Instant now) {
        Optional<UUID> existing = jdbc.sql("""
                UPDATE users SET display_name = :displayName,
                       profile_photo_url = COALESCE(:photo, profile_photo_url), updated_at = :now
                WHERE external_issuer = :iss AND external_subject = :sub
                  AND (display_name IS DISTINCT FROM :displayName
                       -- The cast gives PostgreSQL a type for a null photo; bare, it cannot infer one.
                       OR (CAST(:photo AS text) IS NOT NULL AND profile_photo_url IS DISTINCT FROM :photo))
                RETURNING user_id""")
                .param("displayName", displayName)
                .param("photo", photoUrl)
                .param("now", Timestamp.from(now))
                .param("iss", issuer)
                .param("sub", subject)
                .query(UUID.class)
                .optional();
        if (existing.isPresent()) {
            return existing.get();
        }
        Optional<UUID> unchanged = findExternal(issuer, subject);
        if (unchanged.isPresent()) {
            return unchanged.get();
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            String candidate = attempt == 0 ? username : truncate(username, 32 - 4) + "_" + (attempt + 1);
            UUID id = Ids.uuidV7(now.toEpochMilli());
            int inserted = jdbc.sql("""
                    INSERT INTO users (user_id, username, display_name, profile_photo_url, external_issuer,
                                       external_subject, created_at, updated_at)
                    VALUES (:id, :username, :displayName, :photo, :iss, :sub, :now, :now)
                    ON CONFLICT DO NOTHING""")
                    .param("id", id)
                    .param("username", candidate)
                    .param("displayName", displayName)
                    .param("photo", photoUrl)
                    .param("iss", issuer)
                    .param("sub", subject)
                    .param("now", Timestamp.from(now))
                    .update();
            if (inserted == 1) {
                return id;
            }
            Optional<UUID> raced = findExternal(issuer, subject);
            if (raced.isPresent()) {
                return raced.get();
            }
        }
        throw new IllegalStateException("Could not find a free username for external user " + subject);
    }

    /** The host app's id (the token's subject) of those of {@code ids} provisioned in integration mode. */
    Map<UUID, String> externalSubjects(Collection<UUID> ids) {
        Map<UUID, String> out = new HashMap<>();
        String sql = """
                SELECT user_id, external_subject FROM users
                WHERE user_id = ANY(CAST(:ids AS uuid[])) AND external_subject IS NOT NULL""";
        jdbc.sql(sql).param("ids", ids.toArray(UUID[]::new)).query(rs -> {
            out.put(rs.getObject(1, UUID.class), rs.getString(2));
        });
        return out;
    }

    private Optional<UUID> findExternal(String issuer, String subject) {
        return jdbc.sql("SELECT user_id FROM users WHERE external_issuer = :iss AND external_subject = :sub")
                .param("iss", issuer)
                .param("sub", subject)
                .query(UUID.class)
                .optional();
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }

    Optional<Credentials> credentials(String username) {
        return jdbc.sql("""
                SELECT user_id, password_hash, deleted_at IS NOT NULL, suspended_until
                FROM users WHERE username = :username""")
                .param("username", username)
                .query((rs, i) -> new Credentials(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        standing(rs.getObject(1, UUID.class), rs.getBoolean(3), rs.getTimestamp(4))))
                .optional();
    }

    Optional<Credentials> credentials(UUID id) {
        return jdbc.sql("""
                SELECT user_id, password_hash, deleted_at IS NOT NULL, suspended_until
                FROM users WHERE user_id = :id""")
                .param("id", id)
                .query((rs, i) ->
                        new Credentials(id, rs.getString(2), standing(id, rs.getBoolean(3), rs.getTimestamp(4))))
                .optional();
    }

    boolean updatePasswordHash(UUID id, String passwordHash, Instant now) {
        return jdbc.sql("""
                UPDATE users SET password_hash = :hash, updated_at = :now
                WHERE user_id = :id AND password_hash IS NOT NULL""")
                        .param("hash", passwordHash)
                        .param("now", Timestamp.from(now))
                        .param("id", id)
                        .update()
                == 1;
    }

    private static AccountStanding standing(UUID id, boolean deleted, Timestamp suspendedUntil) {
        return new AccountStanding(id, deleted, suspendedUntil == null ? null : suspendedUntil.toInstant());
    }

    Optional<UserView> find(UUID id) {
        return jdbc.sql("SELECT user_id, username, display_name, profile_photo_url FROM users WHERE user_id = :id")
                .param("id", id)
                .query(USER)
                .optional();
    }

    List<UserView> findAll(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT user_id, username, display_name, profile_photo_url FROM users WHERE user_id = "
                        + "ANY(:ids)")
                .param("ids", ids.toArray(UUID[]::new))
                .query(USER)
                .list();
    }

    Optional<UserView> update(UUID id, String displayName, String photoUrl, boolean clearPhoto, Instant now) {
        return jdbc.sql("""
                UPDATE users SET display_name = COALESCE(:displayName, display_name),
                       profile_photo_url = CASE WHEN :clearPhoto THEN NULL ELSE COALESCE(:photo, profile_photo_url) END,
                       updated_at = :now
                WHERE user_id = :id
                RETURNING user_id, username, display_name, profile_photo_url""")
                .param("displayName", displayName)
                .param("photo", photoUrl)
                .param("clearPhoto", clearPhoto)
                .param("now", Timestamp.from(now))
                .param("id", id)
                .query(USER)
                .optional();
    }

    /** Prefix search on username or display name (case-insensitive), users the caller blocked excluded. */
    List<UserView> searchPrefix(UUID caller, String prefix, int limit) {
        String pattern = prefix.toLowerCase(Locale.ROOT)
                        .replace("\\", "\\\\")
                        .replace("%", "\\%")
                        .replace("_", "\\_") + "%";
        return jdbc.sql("""
                SELECT user_id, username, display_name, profile_photo_url FROM (
                    SELECT * FROM users WHERE username LIKE :pattern
                    UNION
                    SELECT * FROM users WHERE lower(display_name) LIKE :pattern
                ) u
                WHERE NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = :caller AND b.blocked_id = u.user_id)
                  AND u.deleted_at IS NULL
                ORDER BY (username LIKE :pattern) DESC, username
                LIMIT :limit""")
                .param("pattern", pattern)
                .param("caller", caller)
                .param("limit", limit)
                .query(USER)
                .list();
    }

    /** What decides a user's role and standing, for the admin feature. */
    Optional<UserService.AccountFacts> accountFacts(UUID id) {
        return jdbc.sql("""
                SELECT user_id, username, display_name, profile_photo_url, admin_granted, external_admin,
                       deleted_at IS NOT NULL AS deleted, suspended_until, suspension_reason, created_at
                FROM users WHERE user_id = :id""")
                .param("id", id)
                .query((rs, i) -> new UserService.AccountFacts(
                        USER.mapRow(rs, i),
                        rs.getBoolean("admin_granted"),
                        rs.getBoolean("external_admin"),
                        rs.getBoolean("deleted"),
                        rs.getTimestamp("suspended_until") == null
                                ? null
                                : rs.getTimestamp("suspended_until").toInstant(),
                        rs.getString("suspension_reason"),
                        rs.getTimestamp("created_at").toInstant()))
                .optional();
    }

    boolean setAdminGranted(UUID id, boolean granted, Instant now) {
        return jdbc.sql("""
                UPDATE users SET admin_granted = :granted, updated_at = :now
                WHERE user_id = :id AND deleted_at IS NULL""")
                        .param("granted", granted)
                        .param("now", Timestamp.from(now))
                        .param("id", id)
                        .update()
                == 1;
    }

    /** Records whether the host app's token says the user is an admin; writes only a change. */
    void setExternalAdmin(UUID id, boolean admin) {
        jdbc.sql("UPDATE users SET external_admin = :admin WHERE user_id = :id AND external_admin <> :admin")
                .param("admin", admin)
                .param("id", id)
                .update();
    }

    /**
     * Erases a deleted account's profile (idempotent): the username is held until {@code freeAt} and replaced by
     * the placeholder, the display name becomes "Deleted user", the photo, password and external identity go (a
     * host-app user who comes back is a new user), and the account is marked deleted. Blocks either way go too.
     */
    void eraseProfile(UUID id, Instant now, Instant freeAt) {
        jdbc.sql("""
                INSERT INTO username_holds (username, free_at)
                SELECT username, :freeAt FROM users WHERE user_id = :id AND username NOT LIKE :erased
                ON CONFLICT (username) DO UPDATE SET free_at = GREATEST(username_holds.free_at, EXCLUDED.free_at)""")
                .param("freeAt", Timestamp.from(freeAt))
                .param("id", id)
                .param("erased", UserView.ERASED_PREFIX + "%")
                .update();
        jdbc.sql("""
                UPDATE users SET username = :erased || user_id::text, display_name = :name, profile_photo_url = NULL,
                       password_hash = NULL, external_issuer = NULL, external_subject = NULL, updated_at = :now,
                       deleted_at = COALESCE(deleted_at, :now)
                WHERE user_id = :id""")
                .param("erased", UserView.ERASED_PREFIX)
                .param("name", UserView.DELETED_DISPLAY_NAME)
                .param("now", Timestamp.from(now))
                .param("id", id)
                .update();
        jdbc.sql("DELETE FROM blocks WHERE blocker_id = :id OR blocked_id = :id")
                .param("id", id)
                .update();
    }

    /**
     * Suspends until {@code until}; the users table's trigger writes the revocation that ends the user's tokens,
     * sockets and streams on every node. False for an unknown or deleted user.
     */
    boolean suspend(UUID id, Instant until, String reason, Instant now) {
        return jdbc.sql("""
                UPDATE users SET suspended_until = :until, suspension_reason = :reason, updated_at = :now
                WHERE user_id = :id AND deleted_at IS NULL""")
                        .param("until", Timestamp.from(until))
                        .param("reason", reason)
                        .param("now", Timestamp.from(now))
                        .param("id", id)
                        .update()
                == 1;
    }

    boolean unsuspend(UUID id, Instant now) {
        return jdbc.sql("""
                UPDATE users SET suspended_until = NULL, suspension_reason = NULL, updated_at = :now
                WHERE user_id = :id AND deleted_at IS NULL
                """).param("now", Timestamp.from(now)).param("id", id).update() == 1;
    }

    /** Usernames whose cool-down has ended are free again. */
    int releaseHolds(Instant now) {
        return jdbc.sql("DELETE FROM username_holds WHERE free_at <= :now")
                .param("now", Timestamp.from(now))
                .update();
    }

    boolean exists(UUID id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM users WHERE user_id = :id)")
                .param("id", id)
                .query(Boolean.class)
                .single();
    }
}
