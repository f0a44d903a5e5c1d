package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/** Tomcat never accepts more connections than the process can open files, less a reserve for everything else. */
class OpenFileLimitTest extends ApiTest {

    @Autowired
    private WebServerApplicationContext context;

    @Test
    void theRunningServerAcceptsFewerConnectionsThanItCanOpenFiles() {
        long files = OpenFileLimit.openFileLimit();
        AbstractProtocol<?> protocol = (AbstractProtocol<?>) ((TomcatWebServer) context.getWebServer())
                .getTomcat()
                .getConnector()
                .getProtocolHandler();
        // application.yml asks for 50,000; a typical limit is lower.
        assertThat(files).isPositive();
        assertThat((long) protocol.getMaxConnections())
                .isPositive()
                .isLessThanOrEqualTo(Math.min(50_000, files - OpenFileLimit.MIN_RESERVED));
    }

    @Test
    void theLimitLessItsReserveCapsWhatIsConfiguredAndNeverRaisesIt() {
        assertThat(OpenFileLimit.maxConnections(50_000, 20_000)).isEqualTo(18_000);
        assertThat(OpenFileLimit.maxConnections(50_000, 1_024)).isEqualTo(768);
        assertThat(OpenFileLimit.maxConnections(8_192, 1_048_576)).isEqualTo(8_192);
        // Tomcat's -1 (unlimited) gets the cap too; a tiny limit still leaves half of it.
        assertThat(OpenFileLimit.maxConnections(-1, 20_000)).isEqualTo(18_000);
        assertThat(OpenFileLimit.maxConnections(50_000, 300)).isEqualTo(150);
    }
}
