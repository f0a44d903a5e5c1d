package dev.parley;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * About 400 lines per source file is the house budget: a file past it does more than one job, and is split by job
 * rather than let grow (MessageService had reached 442).
 */
class SizeBudgetTest {

    private static final int MAX_LINES = 400;

    /**
     * Known exceptions, each with its reason. None now: the JPEG DC decoder, once exempt, is wired into the image
     * job and was split by job (its entropy reader is a class of its own).
     */
    private static final Map<String, String> EXCEPTIONS = Map.of();

    @Test
    void noMainSourceFileIsOverTheBudget() throws IOException {
        Path main = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(main)) {
            List<String> over = files.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> !EXCEPTIONS.containsKey(
                            main.relativize(path).toString().replace('\\', '/')))
                    .filter(path -> lines(path) > MAX_LINES)
                    .map(path -> main.relativize(path) + ": " + lines(path) + " lines")
                    .toList();
            assertThat(over).as("split these by job").isEmpty();
        }
    }

    private static long lines(Path path) {
        try (Stream<String> lines = Files.lines(path)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
