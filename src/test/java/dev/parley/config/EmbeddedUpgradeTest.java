package dev.parley.config;

import static dev.parley.config.EmbeddedAuthenticationTest.connect;
import static dev.parley.config.EmbeddedAuthenticationTest.mode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyApplication;
import dev.parley.support.TestClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A data folder made by the versions that ran PostgreSQL with trust authentication (any local process was
 * superuser) is converted in place at start-up: data kept, password required, secrets tightened.
 */
@Tag("embedded-only")
class EmbeddedUpgradeTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @Test
    void aTrustDataFolderIsUpgradedInPlaceAndKeepsItsData() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "trust-upgrade-");
        Path pgData = dataDir.resolve("postgres");
        Path bin = EmbeddedPostgres.extractBinaries(Path.of("target/pg-dist").toAbsolutePath());
        int port = freePort();
        // What the old version did: initdb with trust, then start on 127.0.0.1 (its folders were left as made).
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        EmbeddedPostgres.run(
                TIMEOUT,
                null,
                bin.resolve("bin/initdb").toString(),
                "-D",
                pgData.toString(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync");
        String pgCtl = bin.resolve("bin/pg_ctl").toString();
        EmbeddedPostgres.run(
                TIMEOUT,
                null,
                pgCtl,
                "-D",
                pgData.toString(),
                "-l",
                dataDir.resolve("postgres.log").toString(),
                "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''",
                "-w",
                "start");
        try (Connection db = connect(port, "postgres", null);
                Statement st = db.createStatement()) {
            st.execute("CREATE SCHEMA legacy");
            st.execute("CREATE TABLE legacy.kept (note text)");
            st.execute("INSERT INTO legacy.kept VALUES ('written before the upgrade')");
        } finally {
            EmbeddedPostgres.run(TIMEOUT, null, pgCtl, "-D", pgData.toString(), "-m", "fast", "-w", "stop");
        }
        Files.writeString(dataDir.resolve("jwt-secret"), "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0=");
        Files.setPosixFilePermissions(dataDir.resolve("jwt-secret"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.createDirectories(dataDir.resolve("objects"));
        Files.setPosixFilePermissions(dataDir.resolve("objects"), PosixFilePermissions.fromString("rwxr-xr-x"));

        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ParleyApplication.class)
                .profiles("test")
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=",
                        "--parley.data-dir=" + dataDir,
                        "--parley.auth.jwt-secret=",
                        "--parley.embedded-postgres.port=" + port)) {
            int httpPort = ((WebServerApplicationContext) app).getWebServer().getPort();
            new TestClient("http://127.0.0.1:" + httpPort).register("upgraded");

            String password =
                    Files.readString(dataDir.resolve("postgres-password")).strip();
            try (Connection db = connect(port, "postgres", password);
                    Statement st = db.createStatement();
                    ResultSet rows = st.executeQuery("SELECT note FROM legacy.kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("written before the upgrade");
            }
            assertThatThrownBy(() -> connect(port, "postgres", null)).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> connect(port, "postgres", "postgres")).isInstanceOf(SQLException.class);
            assertThat(Files.readString(pgData.resolve("pg_hba.conf"))).doesNotContain("trust");
            // The token secret is kept (tokens issued before the upgrade stay valid), only tightened.
            assertThat(Files.readString(dataDir.resolve("jwt-secret")))
                    .isEqualTo("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0=");
            assertThat(mode(dataDir)).isEqualTo("rwx------");
            assertThat(mode(dataDir.resolve("jwt-secret"))).isEqualTo("rw-------");
            assertThat(mode(dataDir.resolve("postgres-password"))).isEqualTo("rw-------");
            assertThat(mode(dataDir.resolve("objects"))).isEqualTo("rwx------");
            assertThat(mode(dataDir.resolve("objects/.signing-key"))).isEqualTo("rw-------");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
