package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code MANAGEMENT_SERVER_PORT}: health, info and metrics move to a port of their own (to keep off the load
 * balancer or fence at the edge), still without a token, and the API's port no longer serves them.
 */
class ManagementPortTest {

    @Test
    void healthInfoAndMetricsMoveToTheManagementPort() {
        try (ConfigurableApplicationContext node = SendRun.startNode("--management.server.port=0")) {
            TestClient api = SendRun.client(node);
            TestClient management =
                    new TestClient("http://127.0.0.1:" + node.getEnvironment().getProperty("local.management.port"));
            assertThat(management.base()).isNotEqualTo(api.base());

            assertThat(management.get("/health/ready", null).expect(200).text("status"))
                    .isEqualTo("UP");
            management.get("/health/live", null).expect(200);
            assertThat(management
                            .get("/info", null)
                            .expect(200)
                            .json()
                            .path("build")
                            .path("version")
                            .asString())
                    .isNotBlank();
            assertThat(management.get("/metrics", null).expect(200).raw()).contains("dependency_up");

            api.get("/metrics", null).expectError(404, "NOT_FOUND");
            api.get("/health/ready", null).expectError(404, "NOT_FOUND");
            // The API itself is unchanged.
            api.get("/api/v1/users/me", api.register("mgmt").token()).expect(200);
        }
    }
}
