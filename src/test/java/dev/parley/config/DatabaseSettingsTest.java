package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(JdbcClient.create(dataSource).sql("SHOW lock_timeout").query(String.class).single()).isEqualTo("10s");
    }
}
