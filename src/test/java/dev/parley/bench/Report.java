package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps {@code docs/benchmarks.md}: one section per benchmark between markers, replaced by each run of that
 * benchmark, so the page always shows the latest figures next to the command and machine that produced them.
 */
final class Report {

    private static final String HEADER = """
            # Benchmarks

            Load tests of the public HTTP API, kept apart from the test suite (`./mvnw test` never runs them).
            Each run builds the server jar, starts it in its own JVM on a loopback port with a fresh temporary
            data folder (so a fresh embedded PostgreSQL), waits for `/health/ready`, seeds what it needs, warms
            up, measures, stops the server by PID, and rewrites its own section below.

            ```
            ./mvnw -q -Pbench verify -Dbench=send      # or history, list, ws, ws2, thumbs, imagejob, search, idle, all
            ```

            Options (`-D…`): `bench.url=http://host:port` uses a running server instead of starting one
            (`bench.jdbcUrl=jdbc:postgresql://…` as well for `history` and `search`, which seed with SQL);
            `bench.clients` (64), `bench.warmup` / `bench.duration` (seconds per send scenario, 10 / 30),
            `bench.maxRequests` (per scenario), `bench.samples` (measured requests for history and list, 500),
            `bench.largeSize` (1000000), `bench.profile=true` (JFR on the server, hot methods in the output),
            `bench.serverArgs` (extra server arguments), `bench.serverJvmArgs` (the server JVM's options, default
            `-XX:+UseG1GC`; both space separated), `bench.generatorGc` (the load generator JVM's collector, one flag,
            default `-XX:+UseG1GC`),
            `bench.write=false` (do not touch this file); for `thumbs`, `bench.thumbFiles` (4) and
            `bench.thumbRounds` (10); for `idle`, `bench.idleStreams` (200) and `bench.idlePolls` (100), measured for
            `bench.duration` seconds. `thumbs` starts no server: it runs the image job's pipeline in the
            benchmark's JVM and libvips' `vipsthumbnail` and `vips` (Debian package libvips-tools, when installed) as
            child processes; `imagejob` starts none either: it runs the costliest image job (a 16-bit 40-megapixel PNG)
            in the benchmark's JVM.
            Diagnostics, not for published figures:
            `bench.pgSettings=name=value,...` (ALTER SYSTEM before the load, e.g. `synchronous_commit=off`) and
            `bench.sql='statement; ...'` (SQL run before the load, e.g. to try without an index).

            The load generator runs on the same machine as the server and its database, so figures include its
            cost; on a shared machine they move with whatever else runs there (the load average at the start of
            each run is recorded). Treat them as indications, and compare runs on one machine only.

            A run takes about 2 minutes for `send`, 1 for `history` (most of it seeding 1,000,000 rows), 1 for
            `list`. Once per-user send rate limits exist (the contract's default is 60 messages a minute), `send`
            needs them raised through `bench.serverArgs`; failed requests are counted by status in each run.

            """;

    private Report() {}

    static void write(Path file, String name, String body) throws IOException {
        String begin = "<!-- bench:" + name + ":begin -->";
        String end = "<!-- bench:" + name + ":end -->";
        String section = begin + "\n" + body.strip() + "\n" + end;
        String text = Files.exists(file) ? Files.readString(file) : HEADER;
        Matcher m = Pattern.compile(Pattern.quote(begin) + ".*?" + Pattern.quote(end), Pattern.DOTALL)
                .matcher(text);
        if (m.find()) {
            text = text.substring(0, m.start()) + section + text.substring(m.end());
        } else {
            text = text.stripTrailing() + "\n\n" + section + "\n";
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        System.out.println("Figures written to " + file);
    }

    /** Machine and run facts for a section's footer. */
    static String machine(String command, String settings, String loadAtStart) {
        String cpu = read("/proc/cpuinfo")
                .lines()
                .filter(l -> l.startsWith("model name"))
                .findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .orElse("unknown CPU");
        String mem = read("/proc/meminfo")
                .lines()
                .filter(l -> l.startsWith("MemTotal"))
                .findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GiB")
                .orElse("?");
        return String.format(
                        """
                - Command: `%s`
                - Date: %s
                - Machine: %d CPUs (`nproc`), %s, %s RAM, %s %s; load average at start %s (shared machine)
                - JDK: %s %s (server and load generator)
                - Settings: %s""",
                        command,
                        ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                        Runtime.getRuntime().availableProcessors(),
                        cpu,
                        mem,
                        System.getProperty("os.name"),
                        System.getProperty("os.version"),
                        loadAtStart,
                        System.getProperty("java.vm.vendor"),
                        System.getProperty("java.runtime.version"),
                        settings)
                .strip();
    }

    static String loadAverage() {
        String load = read("/proc/loadavg").strip();
        return load.isEmpty() ? "?" : load.split(" ")[0];
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            return "";
        }
    }
}
