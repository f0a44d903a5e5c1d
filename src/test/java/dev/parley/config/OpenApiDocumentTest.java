package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/openapi.json, the committed copy that tools and readers use without starting a server, is exactly what
 * the server serves; and the served document keeps the promises a client generator relies on. After changing an
 * endpoint, refresh the copy with
 * {@code ./mvnw test -Dtest=OpenApiDocumentTest -Dparley.openapi.refresh=true} and commit it.
 */
class OpenApiDocumentTest extends ApiTest {

    static final Path COMMITTED = Path.of("docs", "openapi.json");
    static final String REFRESH = "parley.openapi.refresh";
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Test
    void theCommittedCopyIsWhatTheServerServes() throws IOException {
        JsonNode served = served();
        if (Boolean.getBoolean(REFRESH)) {
            Files.writeString(COMMITTED, JSON.writeValueAsString(served) + "\n");
        }
        assertThat(COMMITTED)
                .as("%s is missing; write it with -D%s=true", COMMITTED, REFRESH)
                .exists();
        JsonNode committed = JSON.readTree(Files.readString(COMMITTED));
        assertThat(firstDifference("", committed, served))
                .as(
                        "%s differs from what the server serves at /api/v1/openapi.json (at the JSON pointer shown)."
                                + " Refresh it: ./mvnw test -Dtest=OpenApiDocumentTest -D%s=true, then commit it",
                        COMMITTED, REFRESH)
                .isNull();
    }

    @Test
    void everyOperationHasAnIdASummaryATagAndItsErrors() {
        JsonNode doc = served();
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                JsonNode operation = method.getValue();
                String where = method.getKey().toUpperCase() + " " + path.getKey();
                assertThat(operation.path("operationId").asString()).as(where).matches("[a-z][A-Za-z]+");
                assertThat(operation.path("summary").asString()).as(where).isNotBlank();
                assertThat(operation.path("tags").path(0).asString()).as(where).matches("[A-Z].*");
                ids.add(operation.path("operationId").asString());
                JsonNode responses = operation.path("responses");
                assertThat(responses.propertyNames().stream().filter(s -> s.matches("2\\d\\d")))
                        .as("%s has a success status", where)
                        .isNotEmpty();
                // A public operation that takes nothing (the VAPID key) has no client error to give.
                boolean takesNothing = operation.path("security").isArray()
                        && operation.path("security").isEmpty()
                        && operation.path("parameters").isEmpty()
                        && operation.path("requestBody").isMissingNode();
                if (!takesNothing) {
                    assertThat(responses.propertyNames().stream().filter(s -> s.matches("4\\d\\d")))
                            .as("%s lists its client errors", where)
                            .isNotEmpty();
                }
                for (Map.Entry<String, JsonNode> response : responses.properties()) {
                    if (!response.getKey().startsWith("2")) {
                        assertThat(response.getValue()
                                        .path("content")
                                        .path("application/json")
                                        .path("schema")
                                        .path("$ref")
                                        .asString())
                                .as("%s %s has the error body", where, response.getKey())
                                .isEqualTo("#/components/schemas/ApiError");
                    }
                }
                if (responses.has("429")) {
                    assertThat(responses.path("429").path("headers").has("Retry-After"))
                            .as("%s 429 carries Retry-After", where)
                            .isTrue();
                }
            }
        }
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void schemasSayWhatIsRequiredAndWhatMayBeNullAndLeakNoFrameworkType() {
        JsonNode schemas = served().path("components").path("schemas");

        assertThat(schemas.propertyNames()).doesNotContain("JsonNode", "SseEmitter", "ResponseEntity");
        // Nested records carry their feature's name: no two features' "Page" can collide.
        assertThat(schemas.propertyNames()).contains("ConversationPage", "ConversationCreate", "MessagePage");
        JsonNode message = schemas.path("MessageView");
        // A response always carries every field: nullable ones are required too, and say they may be null.
        assertThat(message.path("required").toString()).contains("\"content\"", "\"seq\"", "\"reply_to\"");
        assertThat(message.path("properties").path("content").path("type").toString())
                .isEqualTo("[\"string\",\"null\"]");
        assertThat(message.path("properties").path("seq").path("type").asString())
                .isEqualTo("integer");
        assertThat(message.path("properties").path("reply_to").path("anyOf").toString())
                .contains("ReplyPreview", "null");
        assertThat(message.path("properties").path("metadata").path("type").toString())
                .contains("object");
        // A request's optional field is neither required nor forced.
        JsonNode send = schemas.path("SendMessageRequest");
        assertThat(send.path("required").toString()).contains("\"type\"").doesNotContain("\"content\"");
        // Patterns are anchored ECMA-262 regular expressions; literal alternatives are enums.
        assertThat(send.path("properties").path("type").path("enum").toString()).isEqualTo("[\"text\",\"image\"]");
        assertThat(schemas.path("AuthRegister")
                        .path("properties")
                        .path("username")
                        .path("pattern")
                        .asString())
                .isEqualTo("^(?:[a-z0-9_.]{3,32})$");
    }

    @Test
    void theAsyncApiDocumentIsServedAsCommittedWithoutAToken() throws IOException {
        var served = api.get("/api/v1/asyncapi.yaml", null).expect(200);

        assertThat(served.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
        assertThat(served.raw()).isEqualTo(Files.readString(Path.of("docs", "asyncapi.yaml")));
    }

    private JsonNode served() {
        return api.get("/api/v1/openapi.json", null).expect(200).json();
    }

    /** The JSON pointer of the first place where the two differ, or null when they are equal. */
    static String firstDifference(String at, JsonNode expected, JsonNode actual) {
        if (expected.equals(actual)) {
            return null;
        }
        if (expected.isObject() && actual.isObject()) {
            for (String name : expected.propertyNames()) {
                if (!actual.has(name)) {
                    return at + "/" + name + " (only in the committed copy)";
                }
                String inside = firstDifference(at + "/" + name, expected.get(name), actual.get(name));
                if (inside != null) {
                    return inside;
                }
            }
            for (String name : actual.propertyNames()) {
                if (!expected.has(name)) {
                    return at + "/" + name + " (only in the served document)";
                }
            }
        }
        if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                String inside = firstDifference(at + "/" + i, expected.get(i), actual.get(i));
                if (inside != null) {
                    return inside;
                }
            }
        }
        return at.isEmpty() ? "/" : at;
    }
}
