package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyApplication;
import java.net.URL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The server jar of the container image has no PostgreSQL binaries: without SPRING_DATASOURCE_URL it stops at
 * start-up saying what to set, rather than with a stack trace about a missing resource.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseNotConfiguredTest {

    @Test
    void withoutBinariesOrADatabaseUrlTheServerStopsSayingWhatToSet(CapturedOutput output) {
        ClassLoader withoutBinaries = new ClassLoader(getClass().getClassLoader()) {
            @Override
            public URL getResource(String name) {
                return name.startsWith("postgres-linux-") ? null : super.getResource(name);
            }
        };
        SpringApplication app = new SpringApplicationBuilder(ParleyApplication.class)
                .profiles("test")
                .resourceLoader(new DefaultResourceLoader(withoutBinaries))
                .build();

        // An empty URL on the command line also hides one CI's second pass sets in the environment.
        assertThatThrownBy(() -> app.run(
                        "--server.port=0",
                        "--spring.datasource.url=",
                        "--parley.data-dir=target/test-data/no-binaries"))
                .hasRootCauseInstanceOf(DatabaseNotConfiguredException.class);
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("this build of Parley has no embedded PostgreSQL")
                .contains("Set SPRING_DATASOURCE_URL to your PostgreSQL");
    }
}
