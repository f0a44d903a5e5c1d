package dev.parley.config;

import dev.parley.auth.PublicPaths;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document at {@code /api/v1/openapi.json}, written to lint clean (Redocly's recommended rules, see
 * tools/api-docs) and to generate exact clients from: every operation needs a bearer JWT except those on
 * {@link PublicPaths}; every failure it can answer is listed with the contract's {@code {code, message, details}}
 * body ({@link OpenApiErrors}); schemas say which fields are required and which may be null ({@link
 * OpenApiSchemas}). Summaries, operation ids and tags are on the controllers ({@code @Operation}, {@code @Tag});
 * docs/openapi.json is a committed copy, kept equal to this by OpenApiDocumentTest.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static final String BEARER = "bearer-jwt";

    static {
        // The caller comes from the bearer token (AuthUserArgumentResolver), not from a query parameter.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthUser.class);
        // Framework types are described by what goes over the wire, not by their getters.
        SpringDocUtils.getConfig()
                .replaceWithSchema(
                        JsonNode.class,
                        new ObjectSchema()
                                .additionalProperties(true)
                                .description("A JSON object whose fields depend on the message type"))
                .replaceWithSchema(
                        SseEmitter.class,
                        new StringSchema()
                                .description("A stream of Server-Sent Events, one per event of the caller's log: "
                                        + "`id` is its cursor, `event` its type, `data` its JSON. The events are "
                                        + "described in docs/asyncapi.yaml (/api/v1/asyncapi.yaml)."));
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
                                Errors always have the body `{"code", "message", "details"}` (schema ApiError). \
                                The WebSocket frames and Server-Sent Events are described in AsyncAPI at \
                                /api/v1/asyncapi.yaml.""")
                        .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
                // Relative: the document describes whichever server serves it (and stays the same on every port).
                .servers(List.of(new Server().url("/").description("The server that serves this document")))
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

    /** Each operation's error responses: its declared codes plus those its parameters and body imply. */
    @Bean
    OperationCustomizer parleyErrorResponses() {
        return (operation, handlerMethod) -> {
            OpenApiErrors.document(operation, OpenApiErrors.codes(handlerMethod));
            return operation;
        };
    }

    /** Public paths need no token; every other operation can also answer 401. Then the schema rules. */
    @Bean
    OpenApiCustomizer parleySecurityAndSchemas() {
        return openApi -> {
            // Added here, not on the OpenAPI bean: springdoc drops bean schemas that no scanned type references.
            openApi.getComponents().addSchemas(OpenApiErrors.ERROR_SCHEMA, errorSchema());
            openApi.getPaths()
                    .forEach((path, item) -> item.readOperations().forEach(operation -> {
                        if (PublicPaths.isPublic(path)) {
                            operation.setSecurity(List.of());
                        } else {
                            OpenApiErrors.document(operation, Set.of(ErrorCode.UNAUTHORIZED));
                        }
                    }));
            if (openApi.getTags() != null) {
                openApi.setTags(openApi.getTags().stream()
                        .sorted(Comparator.comparing(Tag::getName))
                        .toList());
            }
            OpenApiSchemas.finish(openApi);
        };
    }

    /** snake_case names, nullable and required fields (see {@link OpenApiSchemas.RecordResolver}). */
    @Bean
    ModelResolver recordResolver() {
        return new OpenApiSchemas.RecordResolver();
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
