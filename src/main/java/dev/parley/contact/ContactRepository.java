package dev.parley.contact;

import dev.parley.user.UserView;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code contacts} table (V16): one row per direction; a row each way is a contact, one alone a request. The
 * status of a pair is read here only, as {@link #STATUS}.
 */
@Repository
class ContactRepository {

    /** One listed contact or request, with the time its row was written. */
    record Entry(UserView user, ContactStatus status, Instant since) {}

    private final JdbcClient jdbc;

    ContactRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes "{@code from} wants {@code to}"; the pair's status afterwards. */
    ContactStatus request(UUID from, UUID to, Instant now) {
        jdbc.sql("""
                INSERT INTO contacts (user_id, contact_id, created_at) VALUES (:from, :to, :now)
                ON CONFLICT DO NOTHING""")
                .param("from", from)
                .param("to", to)
                .param("now", Timestamp.from(now))
                .update();
        return status(from, to);
    }

    /** Removes the pair both ways: a contact, an outgoing request withdrawn, an incoming one refused. */
    void remove(UUID a, UUID b) {
        jdbc.sql("""
                DELETE FROM contacts
                WHERE (user_id = :a AND contact_id = :b)
                   OR (user_id = :b AND contact_id = :a)""").param("a", a).param("b", b).update();
    }

    /** Makes every pair contacts (both rows); pairs that already are stay as they were. */
    void addPairs(List<UUID[]> pairs, Instant now) {
        if (pairs.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO contacts (user_id, contact_id, created_at)
                SELECT a, b, CAST(:now AS timestamptz) FROM unnest(CAST(:as AS uuid[]), CAST(:bs AS uuid[])) AS p(a, b)
                UNION SELECT b, a, CAST(:now AS timestamptz)
                FROM unnest(CAST(:as AS uuid[]), CAST(:bs AS uuid[])) AS p(a, b)
                ON CONFLICT DO NOTHING""")
                .param("as", pairs.stream().map(p -> p[0]).toArray(UUID[]::new))
                .param("bs", pairs.stream().map(p -> p[1]).toArray(UUID[]::new))
                .param("now", Timestamp.from(now))
                .update();
    }

    void removePairs(List<UUID[]> pairs) {
        if (pairs.isEmpty()) {
            return;
        }
        jdbc.sql("""
                DELETE FROM contacts c
                USING unnest(CAST(:as AS uuid[]), CAST(:bs AS uuid[])) AS p(a, b)
                WHERE (c.user_id = p.a AND c.contact_id = p.b) OR (c.user_id = p.b AND c.contact_id = p.a)""")
                .param("as", pairs.stream().map(p -> p[0]).toArray(UUID[]::new))
                .param("bs", pairs.stream().map(p -> p[1]).toArray(UUID[]::new))
                .update();
    }

    ContactStatus status(UUID me, UUID other) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM contacts WHERE user_id = :me AND contact_id = :other),
                       EXISTS (SELECT 1 FROM contacts WHERE user_id = :other AND contact_id = :me)""")
                .param("me", me)
                .param("other", other)
                .query((rs, i) -> ContactStatus.of(rs.getBoolean(1), rs.getBoolean(2)))
                .single();
    }

    /** Those of {@code others} who are {@code me}'s contacts (a row each way). */
    Set<UUID> contactsAmong(UUID me, Collection<UUID> others) {
        if (others.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("""
                SELECT o.contact_id FROM contacts o
                JOIN contacts t ON t.user_id = o.contact_id AND t.contact_id = o.user_id
                WHERE o.user_id = :me AND o.contact_id = ANY(CAST(:others AS uuid[]))""")
                .param("me", me)
                .param("others", others.toArray(UUID[]::new))
                .query(UUID.class)
                .list());
    }

    /** One page of {@code me}'s contacts or requests of one status, by the other user's id after {@code after}. */
    List<Entry> list(UUID me, ContactStatus status, UUID after, int limit) {
        String sql = switch (status) {
            case ACCEPTED -> """
                    SELECT o.contact_id AS other, o.created_at FROM contacts o
                    WHERE o.user_id = :me AND EXISTS (
                        SELECT 1 FROM contacts t WHERE t.user_id = o.contact_id AND t.contact_id = :me)""";
            case OUTGOING -> """
                    SELECT o.contact_id AS other, o.created_at FROM contacts o
                    WHERE o.user_id = :me AND NOT EXISTS (
                        SELECT 1 FROM contacts t WHERE t.user_id = o.contact_id AND t.contact_id = :me)""";
            case INCOMING -> """
                    SELECT i.user_id AS other, i.created_at FROM contacts i
                    WHERE i.contact_id = :me AND NOT EXISTS (
                        SELECT 1 FROM contacts t WHERE t.user_id = :me AND t.contact_id = i.user_id)""";
            case NONE -> throw new IllegalArgumentException("none is not listed");
        };
        return jdbc.sql("""
                SELECT x.other, x.created_at, u.username, u.display_name, u.profile_photo_url
                FROM (%s) x JOIN users u ON u.user_id = x.other
                WHERE x.other > :after
                ORDER BY x.other LIMIT :limit""".formatted(sql))
                .param("me", me)
                .param("after", after == null ? new UUID(0L, 0L) : after)
                .param("limit", limit)
                .query((rs, i) -> new Entry(
                        new UserView(rs.getObject(1, UUID.class), rs.getString(3), rs.getString(4), rs.getString(5)),
                        status,
                        rs.getTimestamp(2).toInstant()))
                .list();
    }

    /** Deletes up to {@code batch} of a user's rows either way; the number deleted. */
    int eraseSome(UUID userId, int batch) {
        String sql = """
                DELETE FROM contacts WHERE ctid IN (
                    SELECT ctid FROM contacts WHERE user_id = :user OR contact_id = :user LIMIT :batch)""";
        return jdbc.sql(sql).param("user", userId).param("batch", batch).update();
    }
}
