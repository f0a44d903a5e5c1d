package dev.parley;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the formatter (Spotless with palantir-java-format, checked in Maven's validate phase) leaves alone: it never
 * breaks a string, a comment or a text block, and it keeps a fully qualified name where it is written. So the
 * 120-column limit and "types by import, not by their full name in code" are checked here, over main and test
 * sources.
 */
class SourceStyleTest {

    private static final int MAX_COLUMNS = 120;

    /** A package-qualified type in code: {@code java.util.List}, {@code org.example.Thing.Inner}. */
    private static final Pattern QUALIFIED_TYPE = Pattern.compile(
            "(?<![\\w.\"])(?:java|javax|jakarta|org|com|io|dev|software|tools)\\.(?:[a-z_]\\w*\\.)+[A-Z]");

    @Test
    void noLineIsWiderThanTheLimit() {
        List<String> wide = new ArrayList<>();
        forEachLine((file, number, line) -> {
            if (line.length() > MAX_COLUMNS) {
                wide.add(file + ":" + number + " (" + line.length() + " columns)");
            }
        });
        assertThat(wide).as("wrap these at %d columns", MAX_COLUMNS).isEmpty();
    }

    @Test
    void typesAreImportedNotWrittenOutInCode() {
        List<String> qualified = new ArrayList<>();
        forEachLine((file, number, line) -> {
            String code = codeOf(line);
            if (QUALIFIED_TYPE.matcher(code).find()) {
                qualified.add(file + ":" + number + ": " + line.strip());
            }
        });
        assertThat(qualified).as("import these types").isEmpty();
    }

    /** The line without string literals, and empty when it is an import, a package line or a comment line. */
    private static String codeOf(String line) {
        String stripped = line.strip();
        if (stripped.startsWith("import ")
                || stripped.startsWith("package ")
                || stripped.startsWith("*")
                || stripped.startsWith("/*")
                || stripped.startsWith("//")) {
            return "";
        }
        return line.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"").replaceAll("//.*$", "");
    }

    private interface LineVisitor {
        void visit(Path file, int number, String line);
    }

    private static void forEachLine(LineVisitor visitor) {
        for (Path root : List.of(Path.of("src/main/java"), Path.of("src/test/java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(path -> path.toString().endsWith(".java")).forEach(file -> {
                    List<String> lines = read(file);
                    for (int i = 0; i < lines.size(); i++) {
                        visitor.visit(file, i + 1, lines.get(i));
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
