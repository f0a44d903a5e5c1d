package dev.parley.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;

/**
 * A database of its own on a running PostgreSQL ({@code bench.database}, a JDBC URL of the server, user postgres):
 * created empty for one benchmark's server, which migrates it, and dropped afterwards. Its postmaster's pid comes
 * from the data folder, for the CPU meter (which then counts this database's backends only).
 */
final class ScratchDatabase {

    private ScratchDatabase() {}

    static BenchServer.ExternalDatabase create(String serverUrl) throws Exception {
        String name = "parley_bench_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis() % 100_000;
        Optional<Long> postmaster = Optional.empty();
        try (Connection db = DriverManager.getConnection(serverUrl + "/postgres", "postgres", password());
                Statement st = db.createStatement()) {
            st.execute("CREATE DATABASE " + name);
            try (ResultSet rs = st.executeQuery("SHOW data_directory")) {
                rs.next();
                Path pidFile = Path.of(rs.getString(1), "postmaster.pid");
                if (Files.isReadable(pidFile)) {
                    postmaster = Optional.of(Long.parseLong(
                            Files.readAllLines(pidFile).getFirst().strip()));
                }
            }
        }
        System.out.println("Scratch database " + name + " on " + serverUrl + ", postmaster " + postmaster);
        return new BenchServer.ExternalDatabase(serverUrl + "/" + name, password(), postmaster);
    }

    static void drop(BenchServer.ExternalDatabase database) throws Exception {
        String url = database.jdbcUrl();
        String server = url.substring(0, url.lastIndexOf('/'));
        try (Connection db = DriverManager.getConnection(server + "/postgres", "postgres", password());
                Statement st = db.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name(url) + " WITH (FORCE)");
        }
        System.out.println("Dropped the scratch database " + name(url));
    }

    /** The database's name, from its JDBC URL. */
    static String name(String jdbcUrl) {
        String tail = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        int query = tail.indexOf('?');
        return query < 0 ? tail : tail.substring(0, query);
    }

    private static String password() {
        return System.getProperty("bench.jdbcPassword", "postgres");
    }
}
