package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.support.ApiTest;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class DatabaseSettingsTest extends ApiTest {

    @Autowired
    DataSource dataSource;

    @Test
    void pooledConnectionsNeverWaitForeverForALock() {
        assertThat(JdbcClient.create(dataSource)
                        .sql("SHOW lock_timeout")
                        .query(String.class)
                        .single())
                .isEqualTo("10s");
    }

    /** Embedded or not, every spring.datasource.hikari setting applies: a request waits 2 s for a connection. */
    @Test
    void aRequestWaitsSecondsNotHalfAMinuteForAConnection() throws Exception {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        assertThat(pool.getConnectionTimeout()).isEqualTo(2_000);
        assertThat(pool.getValidationTimeout()).isEqualTo(1_000);
        // The test profile's small idle pool reaches the embedded one too.
        assertThat(pool.getMinimumIdle()).isEqualTo(2);
    }
}
