package dev.parley;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.eventlog.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One owner per rule: a rule several features need is written once, in its owner, and called or read from there.
 * These checks read the main sources as text (migrations, which define the views, are not among them), since SQL
 * lives in strings that no compiler or ArchUnit rule looks into.
 */
class OwnershipTest {

    private static final Path MAIN = Path.of("src/main/java/dev/parley");

    private record Source(Path path, String feature, String text) {}

    private static List<Source> sources;

    @BeforeAll
    static void readSources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            sources = files.filter(path -> path.toString().endsWith(".java"))
                    .map(OwnershipTest::read)
                    .toList();
        }
        assertThat(sources).as("main sources under " + MAIN.toAbsolutePath()).hasSizeGreaterThan(100);
    }

    /** Who is an active participant: the membership views (V10), read through the membership feature or in SQL. */
    @Test
    void theActiveMemberPredicateIsWrittenOnlyByMembership() {
        assertThat(occurrences(
                        Pattern.compile("left_at\\s+IS\\s+NULL", Pattern.CASE_INSENSITIVE), Set.of("membership")))
                .as("read the view active_participants (or member_standing) instead")
                .isEmpty();
    }

    /**
     * A block either way between two users: the user feature owns the pair check, membership the rule of a direct
     * conversation (the view member_standing). A third copy, say in a send statement, would drift from them.
     */
    @Test
    void theEitherWayBlockRuleIsWrittenOnlyByItsOwners() {
        Pattern eitherWay = Pattern.compile(
                "blocker_id\\s*=\\s*[\\w.:]+\\s+AND\\s+[\\w.]*blocked_id\\s*=\\s*[\\w.:]+"
                        + "\\s*\\)?\\s*OR\\s*\\(?\\s*[\\w.]*blocker_id",
                Pattern.CASE_INSENSITIVE);
        assertThat(occurrences(eitherWay, Set.of("user", "membership")))
                .as("read member_standing.blocked, or ask the user feature whether either blocks")
                .isEmpty();
    }

    /** Event type names are spelled by EventType alone, in Java strings and in SQL literals alike. */
    @Test
    void eventTypesAreSpelledOnlyByTheEventType() {
        for (EventType type : EventType.values()) {
            Pattern literal = Pattern.compile("[\"']" + Pattern.quote(type.wire()) + "[\"']");
            assertThat(occurrences(literal, Set.of("eventlog")))
                    .as("use EventType.%s (wire(), or sql() inside a statement)", type.name())
                    .isEmpty();
        }
    }

    /** The catch-up log is appended to through the eventlog module only. */
    @Test
    void onlyTheEventLogModuleWritesTheCatchUpLog() {
        assertThat(occurrences(
                        Pattern.compile("INSERT\\s+INTO\\s+events\\b", Pattern.CASE_INSENSITIVE), Set.of("eventlog")))
                .as("append with EventAppender, or embed EventLogSql in the statement")
                .isEmpty();
    }

    /** {@code path:line: match} for every match in a source outside the owning features. */
    private static List<String> occurrences(Pattern pattern, Set<String> owners) {
        List<String> found = new ArrayList<>();
        for (Source source : sources) {
            if (owners.contains(source.feature())) {
                continue;
            }
            Matcher matcher = pattern.matcher(source.text());
            while (matcher.find()) {
                int line = (int) source.text()
                                .substring(0, matcher.start())
                                .chars()
                                .filter(c -> c == '\n')
                                .count()
                        + 1;
                found.add(source.path() + ":" + line + ": " + matcher.group().replaceAll("\\s+", " "));
            }
        }
        return found;
    }

    private static Source read(Path path) {
        Path relative = MAIN.relativize(path);
        String feature = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
        try {
            return new Source(path, feature, Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
