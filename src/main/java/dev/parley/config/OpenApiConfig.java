package dev.parley.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.parley.auth.PublicPaths;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Arrays;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /api/v1/openapi.json}: every operation needs a bearer JWT except those on
 * {@link PublicPaths} (sign-up, sign-in, refresh), and every failure has the contract's
 * {@code {code, message, details}} body.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static final String BEARER = "bearer-jwt";
    static final String ERROR_SCHEMA = "ApiError";
    /** POST operations that take a unit of a rate limit (moderation/RateLimit). */
    static final List<String> RATE_LIMITED = List.of(
            "/api/v1/conversations/{conversationId}/messages",
            "/api/v1/auth/login",
            "/api/v1/auth/register",
            "/api/v1/messages/attachments/upload-url",
            "/api/v1/conversations",
            "/api/v1/conversations/{id}/participants",
            "/api/v1/conversations/{conversationId}/typing");
    /** GET operations that take a unit of a per-user rate limit and run under a statement timeout (search). */
    static final List<String> RATE_LIMITED_READS =
            List.of("/api/v1/messages/search", "/api/v1/conversations/{conversationId}/messages/search");
    /** GET operations capped per user while they are open (event streams, long polls: realtime/gateway/UserSlots). */
    static final List<String> CAPPED = List.of("/api/v1/sync", "/api/v1/events");

    static {
        // The caller comes from the bearer token (AuthUserArgumentResolver), not from a query parameter.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthUser.class);
    }

    @Bean
    OpenAPI parleyOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Parley API")
                        .version("v1")
                        .description("""
                                Direct and group chat over HTTP and WebSocket. JSON bodies use snake_case field \
                                names; ids are UUIDs; timestamps are RFC 3339 in UTC with milliseconds. Every \
                                message carries a per-conversation `seq` that increases by 1 in commit order. \
                                Errors always have the body `{"code", "message", "details"}` (schema ApiError).""")
                        .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
                .components(new Components()
                        .addSecuritySchemes(
                                BEARER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")
                                        .description(
                                                "The access_token from /api/v1/auth/register, /login or /refresh")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** Public paths need no token; everything else also documents the 401, and all document the error body. */
    @Bean
    OpenApiCustomizer parleySecurityAndErrors() {
        return openApi -> {
            // Added here, not on the OpenAPI bean: springdoc drops bean schemas that no scanned type references.
            openApi.getComponents().addSchemas(ERROR_SCHEMA, errorSchema());
            openApi.getPaths()
                    .forEach((path, item) -> item.readOperations().forEach(operation -> {
                        if (PublicPaths.isPublic(path)) {
                            operation.setSecurity(List.of());
                        } else {
                            addResponse(operation, "401", "Missing, expired, malformed or forged token (UNAUTHORIZED)");
                        }
                        addResponse(operation, "default", "An error; `code` says which (see the contract's table)");
                    }));
            RATE_LIMITED.stream()
                    .map(openApi.getPaths()::get)
                    .filter(item -> item != null && item.getPost() != null)
                    .forEach(item -> addRetryable(
                            item.getPost(),
                            "429",
                            "Over the caller's rate limit "
                                    + "(RATE_LIMIT_EXCEEDED); `details.retry_after` repeats the header, "
                                    + "`details.limit` names "
                                    + "the limit"));
            RATE_LIMITED_READS.stream()
                    .map(openApi.getPaths()::get)
                    .filter(item -> item != null && item.getGet() != null)
                    .forEach(item -> {
                        addRetryable(
                                item.getGet(),
                                "429",
                                "Over the caller's search limit (RATE_LIMIT_EXCEEDED, "
                                        + "`details.limit` is `search`); `details.retry_after` repeats the header");
                        addRetryable(
                                item.getGet(),
                                "503",
                                "The search ran past its time limit and was cancelled "
                                        + "(SERVICE_UNAVAILABLE); try again, or with more specific words");
                    });
            CAPPED.stream()
                    .map(openApi.getPaths()::get)
                    .filter(item -> item != null && item.getGet() != null)
                    .forEach(item -> addRetryable(
                            item.getGet(),
                            "429",
                            "Over the caller's cap of open event "
                                    + "streams or long polls (RATE_LIMIT_EXCEEDED); `details.retry_after` repeats "
                                    + "the header, "
                                    + "`details.limit` names the cap"));
        };
    }

    /** An error response whose {@code Retry-After} header says when to try again. */
    private static void addRetryable(Operation operation, String status, String description) {
        addResponse(operation, status, description);
        operation
                .getResponses()
                .get(status)
                .addHeaderObject(
                        "Retry-After",
                        new Header()
                                .description("Whole seconds until the next attempt can succeed")
                                .schema(new IntegerSchema()));
    }

    /**
     * swagger-core describes schemas with its own Jackson 2 mapper, which knows nothing of the application's
     * (Jackson 3) snake_case setting; without this the documented field names would be camelCase.
     */
    @Bean
    ModelResolver snakeCaseModelResolver() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    private static void addResponse(Operation operation, String status, String description) {
        ApiResponses responses = operation.getResponses();
        if (responses == null) {
            responses = new ApiResponses();
            operation.setResponses(responses);
        }
        if (!responses.containsKey(status)) {
            responses.addApiResponse(
                    status,
                    new ApiResponse()
                            .description(description)
                            .content(new Content()
                                    .addMediaType(
                                            "application/json",
                                            new MediaType()
                                                    .schema(new Schema<>()
                                                            .$ref("#/components/schemas/" + ERROR_SCHEMA)))));
        }
    }

    private static Schema<?> errorSchema() {
        List<String> codes = Arrays.stream(ErrorCode.values()).map(Enum::name).toList();
        Schema<Object> details = new ObjectSchema()
                .additionalProperties(true)
                .description("Extra facts about the error, e.g. `field` for VALIDATION_FAILED, `retry_after` (seconds) "
                        + "and `limit` for RATE_LIMIT_EXCEEDED; may be empty");
        return new ObjectSchema()
                .description("The body of every error response")
                .addProperty("code", new StringSchema()._enum(codes).description("Stable, machine-readable code"))
                .addProperty("message", new StringSchema().description("Human-readable explanation"))
                .addProperty("details", details)
                .required(List.of("code", "message", "details"));
    }
}
