package dev.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.Ids;
import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Partition upkeep creates months ahead, and recovers rows that landed in the default partition. */
class PartitionUpkeepTest extends ApiTest {

    @Autowired
    DataSource dataSource;

    @Test
    void monthsAheadExistAndStrandedRowsMoveIntoTheirNewPartition() {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        ZonedDateTime month = ZonedDateTime.now(ZoneOffset.UTC)
                .withDayOfMonth(1)
                .toLocalDate()
                .atStartOfDay(ZoneOffset.UTC);
        for (int i = 0; i <= 3; i++) {
            String name = "messages_" + month.plusMonths(i).getYear() + "_"
                    + String.format("%02d", month.plusMonths(i).getMonthValue());
            assertThat(jdbc.sql("SELECT to_regclass(:n) IS NOT NULL")
                            .param("n", name)
                            .query(Boolean.class)
                            .single())
                    .as(name)
                    .isTrue();
        }

        // A row eleven months ahead, beyond every partition, lands in the default partition.
        TestClient.User alice = api.register("part");
        TestClient.User bob = api.register("part");
        UUID conversation = chat.direct(alice, bob);
        ZonedDateTime far = month.plusMonths(11).plusDays(3);
        String farName = "messages_" + far.getYear() + "_" + String.format("%02d", far.getMonthValue());
        jdbc.sql("DROP TABLE IF EXISTS " + farName).update();
        Instant at = far.toInstant();
        UUID id = Ids.uuidV7(at.toEpochMilli());
        jdbc.sql("""
                INSERT INTO messages (message_id, conversation_id, seq, sender_id, message_type, content, created_at)
                VALUES (:id, :cid, 999999, :sender, 'text', 'from the future', :at)""")
                .param("id", id)
                .param("cid", conversation)
                .param("sender", alice.id())
                .param("at", Timestamp.from(at))
                .update();
        assertThat(jdbc.sql("SELECT tableoid::regclass::text FROM messages WHERE message_id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .isEqualTo("messages_default");

        jdbc.sql("SELECT parley_ensure_message_partitions(12)")
                .query(Integer.class)
                .single();

        assertThat(jdbc.sql("SELECT tableoid::regclass::text FROM messages WHERE message_id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .isEqualTo(farName);
        assertThat(jdbc.sql("SELECT count(*) FROM messages_default")
                        .query(Long.class)
                        .single())
                .isZero();
    }
}
