package dev.parley.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Optional server profile ({@code -Dbench.profile=true}): the server runs with JFR's sampling profiler, and after
 * it stops we print the methods most often on top of the stack during the measured windows, plus the share of
 * samples by layer (the first frame that belongs to a known library or to Parley).
 */
final class Profile {

    private static final List<String[]> LAYERS = List.of(
            new String[] {"dev.parley.", "Parley code"},
            new String[] {"org.postgresql.", "PostgreSQL JDBC driver"},
            new String[] {"com.zaxxer.hikari.", "Hikari pool"},
            new String[] {"net.ttddyy.", "datasource-proxy"},
            new String[] {"tools.jackson.", "Jackson"},
            new String[] {"com.fasterxml.jackson.", "Jackson"},
            new String[] {"io.micrometer.", "Micrometer"},
            new String[] {"org.apache.catalina.", "Tomcat"},
            new String[] {"org.apache.coyote.", "Tomcat"},
            new String[] {"org.apache.tomcat.", "Tomcat"},
            new String[] {"org.springframework.jdbc.", "Spring JDBC"},
            new String[] {"org.springframework.", "Spring (web, tx, ...)"},
            new String[] {"ch.qos.logback.", "Logging"},
            new String[] {"org.slf4j.", "Logging"},
            new String[] {"com.nimbusds.", "JWT (nimbus)"},
            new String[] {"org.hibernate.validator.", "Bean validation"});

    private final Path file;
    private final List<Instant[]> windows = new ArrayList<>();

    Profile(Path file) {
        this.file = file;
    }

    String jvmFlag() {
        return "-XX:StartFlightRecording=filename=" + file + ",settings=profile,dumponexit=true";
    }

    /** Marks a measured window; samples outside every window (start-up, seeding) are ignored. */
    void window(Instant from, Instant to) {
        windows.add(new Instant[] {from, to});
    }

    void printHotMethods() throws Exception {
        if (!Files.exists(file)) {
            System.out.println("No JFR recording at " + file);
            return;
        }
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> layers = new HashMap<>();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!"jdk.ExecutionSample".equals(e.getEventType().getName())
                    || e.getStackTrace() == null
                    || !inWindow(e.getStartTime())) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            total++;
            RecordedFrame top = frames.getFirst();
            self.merge(
                    top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
            String layer = "JDK / other";
            outer:
            for (RecordedFrame f : frames) {
                String type = f.getMethod().getType().getName();
                for (String[] l : LAYERS) {
                    if (type.startsWith(l[0])) {
                        layer = l[1];
                        break outer;
                    }
                }
            }
            layers.merge(layer, 1, Integer::sum);
        }
        System.out.println();
        System.out.println("Server CPU samples in measured windows: " + total + " (" + file + ")");
        int n = total;
        System.out.println("By layer (first known frame from the top):");
        layers.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(en -> System.out.printf("  %5.1f%%  %s%n", 100.0 * en.getValue() / n, en.getKey()));
        System.out.println("Top methods (self):");
        self.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(25)
                .forEach(en -> System.out.printf("  %5.1f%%  %s%n", 100.0 * en.getValue() / n, en.getKey()));
    }

    private boolean inWindow(Instant t) {
        if (windows.isEmpty()) {
            return true;
        }
        for (Instant[] w : windows) {
            if (!t.isBefore(w[0]) && !t.isAfter(w[1])) {
                return true;
            }
        }
        return false;
    }
}
