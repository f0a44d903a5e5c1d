package dev.parley.push.devices;

import dev.parley.push.Platform;
import dev.parley.push.providers.PushTarget;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code devices} and {@code notification_settings} (V12). */
@Repository
class DeviceRepository {

    /** A device after registration: {@code created} false when the token was known (and maybe moved). */
    record Registered(DeviceView view, boolean created, boolean moved) {}

    private final JdbcClient jdbc;

    DeviceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Registers the token for {@code userId}, taking it from whoever had it; a token that changes hands loses the
     * pushes queued for its previous owner (they would show someone else's messages).
     */
    Registered register(
            UUID userId,
            UUID session,
            Platform platform,
            String token,
            String p256dh,
            String auth,
            String locale,
            Instant now) {
        Registered registered = jdbc.sql("""
                WITH previous AS (SELECT device_id, user_id FROM devices WHERE platform = :platform AND token = :token)
                INSERT INTO devices AS d (device_id, user_id, session_id, platform, token, p256dh, auth, locale,
                                          created_at, updated_at)
                VALUES (:id, :user, :session, :platform, :token, :p256dh, :auth, :locale, :now, :now)
                ON CONFLICT (platform, token) DO UPDATE
                    SET user_id = EXCLUDED.user_id, session_id = EXCLUDED.session_id, p256dh = EXCLUDED.p256dh,
                        auth = EXCLUDED.auth, locale = EXCLUDED.locale, updated_at = EXCLUDED.updated_at
                RETURNING d.device_id, d.platform, d.locale, d.created_at,
                          NOT EXISTS (SELECT 1 FROM previous) AS created,
                          EXISTS (SELECT 1 FROM previous p WHERE p.user_id <> :user) AS moved""")
                .param("id", UUID.randomUUID())
                .param("user", userId)
                .param("session", session)
                .param("platform", platform.wire())
                .param("token", token)
                .param("p256dh", p256dh)
                .param("auth", auth)
                .param("locale", locale)
                .param("now", Timestamp.from(now))
                .query((rs, i) -> new Registered(view(rs), rs.getBoolean("created"), rs.getBoolean("moved")))
                .single();
        if (registered.moved()) {
            forgetQueued(registered.view().deviceId());
        }
        return registered;
    }

    private void forgetQueued(UUID deviceId) {
        jdbc.sql("DELETE FROM push_queue WHERE device_id = :id")
                .param("id", deviceId)
                .update();
    }

    /** Deletes the user's least recently registered devices beyond {@code max}. */
    int trim(UUID userId, int max) {
        return jdbc.sql("""
                DELETE FROM devices WHERE device_id IN (
                    SELECT device_id FROM devices WHERE user_id = :user
                    ORDER BY updated_at DESC, device_id OFFSET :max)
                    """).param("user", userId).param("max", max).update();
    }

    List<DeviceView> list(UUID userId) {
        return jdbc.sql("""
                SELECT device_id, platform, locale, created_at FROM devices WHERE user_id = :user
                ORDER BY created_at, device_id""").param("user", userId).query((rs, i) -> view(rs)).list();
    }

    boolean delete(UUID userId, UUID deviceId) {
        return jdbc.sql("DELETE FROM devices WHERE device_id = :id AND user_id = :user")
                        .param("id", deviceId)
                        .param("user", userId)
                        .update()
                == 1;
    }

    /** A device a provider reported gone (its queued pushes go with it). */
    void deleteGone(UUID deviceId) {
        jdbc.sql("DELETE FROM devices WHERE device_id = :id")
                .param("id", deviceId)
                .update();
    }

    /** A deleted account's devices (their queued pushes go with them) and its notification settings. */
    void erase(UUID userId) {
        jdbc.sql("DELETE FROM devices WHERE user_id = :user")
                .param("user", userId)
                .update();
        jdbc.sql("DELETE FROM notification_settings WHERE user_id = :user")
                .param("user", userId)
                .update();
    }

    /** Every device of these users, by user. */
    Map<UUID, List<PushTarget>> targets(Collection<UUID> userIds) {
        Map<UUID, List<PushTarget>> byUser = new HashMap<>();
        if (userIds.isEmpty()) {
            return byUser;
        }
        jdbc.sql("""
                SELECT user_id, device_id, platform, token, p256dh, auth, session_id FROM devices
                WHERE user_id = ANY(:users)""").param("users", userIds.toArray(UUID[]::new)).query(rs -> {
            byUser.computeIfAbsent(rs.getObject(1, UUID.class), u -> new ArrayList<>())
                    .add(new PushTarget(
                            rs.getObject(2, UUID.class),
                            Platform.ofWire(rs.getString(3)).orElseThrow(),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getObject(7, UUID.class)));
        });
        return byUser;
    }

    Previews previews(UUID userId) {
        return jdbc.sql("SELECT previews FROM notification_settings WHERE user_id = :user")
                .param("user", userId)
                .query(String.class)
                .optional()
                .flatMap(Previews::ofWire)
                .orElse(Previews.FULL);
    }

    /** Each user's setting; users without one are absent (full). */
    Map<UUID, Previews> previews(Collection<UUID> userIds) {
        Map<UUID, Previews> settings = new HashMap<>();
        if (!userIds.isEmpty()) {
            jdbc.sql("SELECT user_id, previews FROM notification_settings WHERE user_id = ANY(:users)")
                    .param("users", userIds.toArray(UUID[]::new))
                    .query(rs -> {
                        UUID user = rs.getObject(1, UUID.class);
                        Previews.ofWire(rs.getString(2)).ifPresent(p -> settings.put(user, p));
                    });
        }
        return settings;
    }

    void setPreviews(UUID userId, Previews previews) {
        jdbc.sql("""
                INSERT INTO notification_settings (user_id, previews) VALUES (:user, :previews)
                ON CONFLICT (user_id) DO UPDATE SET previews = EXCLUDED.previews
                """).param("user", userId).param("previews", previews.wire()).update();
    }

    private static DeviceView view(ResultSet rs) throws SQLException {
        return new DeviceView(
                rs.getObject("device_id", UUID.class),
                Platform.ofWire(rs.getString("platform")).orElseThrow(),
                rs.getString("locale"),
                rs.getTimestamp("created_at").toInstant());
    }
}
