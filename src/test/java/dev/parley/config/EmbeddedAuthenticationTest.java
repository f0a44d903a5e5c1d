package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.support.ApiTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The embedded PostgreSQL lets in only Parley, with the password it keeps in the data folder: no other local
 * process gets a superuser connection for free. Secrets on disk are readable by their owner only.
 */
@Tag("embedded-only")
class EmbeddedAuthenticationTest extends ApiTest {

    static final Path DATA = Path.of("target/test-data/shared");

    @Autowired
    EmbeddedPostgres postgres;

    @Autowired
    DataSource dataSource;

    @Test
    void aConnectionWithoutThePasswordIsRefused() {
        assertThatThrownBy(() -> connect(postgres.port(), "postgres", null))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password");
    }

    @Test
    void aConnectionWithAWrongPasswordIsRefused() {
        assertThatThrownBy(() -> connect(postgres.port(), "postgres", "postgres"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void thePasswordInTheDataFolderIsAccepted() throws Exception {
        String password = Files.readString(DATA.resolve("postgres-password")).strip();
        try (Connection db = connect(postgres.port(), "postgres", password)) {
            assertThat(db.isValid(5)).isTrue();
        }
    }

    @Test
    void noOtherRoleMayLogIn() {
        // A role planted while a data folder was still open without a password must stay useless.
        String role = "intruder_" + System.nanoTime();
        JdbcClient sql = JdbcClient.create(dataSource);
        sql.sql("CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD 'let me in'").update();
        try {
            assertThatThrownBy(() -> connect(postgres.port(), role, "let me in"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("pg_hba.conf");
        } finally {
            sql.sql("DROP ROLE " + role).update();
        }
    }

    @Test
    void secretsAreReadableByTheirOwnerOnly() throws Exception {
        assertThat(mode(DATA)).isEqualTo("rwx------");
        assertThat(mode(DATA.resolve("postgres-password"))).isEqualTo("rw-------");
        assertThat(mode(DATA.resolve("jwt-secret"))).isEqualTo("rw-------");
        assertThat(mode(DATA.resolve("objects"))).isEqualTo("rwx------");
        assertThat(mode(DATA.resolve("objects/.signing-key"))).isEqualTo("rw-------");
        assertThat(mode(DATA.resolve("postgres"))).isEqualTo("rwx------");
    }

    static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    static Connection connect(int port, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
    }
}
