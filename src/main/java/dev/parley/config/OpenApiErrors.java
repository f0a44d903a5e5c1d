package dev.parley.config;

import dev.parley.common.ApiErrors;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;

/**
 * Every error status an operation can answer, each with the contract's error body and the codes it stands for:
 * the codes of the endpoint's own checks ({@link ApiErrors} on the controller method) plus those that follow from
 * its shape (a parameter or body can be malformed, a body too large, the database out), so that one rule here
 * covers every endpoint rather than each repeating them.
 */
final class OpenApiErrors {

    static final String ERROR_SCHEMA = "ApiError";
    /** Statuses whose answer carries a {@code Retry-After} header (see ApiExceptionHandler). */
    private static final Set<Integer> RETRYABLE = Set.of(429, 503);

    private OpenApiErrors() {}

    /** The codes {@code method} can answer with; UNAUTHORIZED for a token is added by path (see OpenApiConfig). */
    static Set<ErrorCode> codes(HandlerMethod method) {
        Set<ErrorCode> codes = EnumSet.of(ErrorCode.SERVICE_UNAVAILABLE);
        ApiErrors declared = method.getMethodAnnotation(ApiErrors.class);
        if (declared != null) {
            codes.addAll(List.of(declared.value()));
        }
        for (MethodParameter parameter : method.getMethodParameters()) {
            if (parameter.hasParameterAnnotation(RequestBody.class)) {
                codes.addAll(List.of(
                        ErrorCode.VALIDATION_FAILED, ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE));
            } else if (parameter.hasParameterAnnotation(PathVariable.class)
                    || parameter.hasParameterAnnotation(RequestParam.class)
                    || parameter.hasParameterAnnotation(RequestHeader.class)) {
                codes.add(ErrorCode.VALIDATION_FAILED);
            }
        }
        return codes;
    }

    /** One response per status, listing its codes; a status the operation already documents is left alone. */
    static void document(Operation operation, Collection<ErrorCode> codes) {
        Map<Integer, List<ErrorCode>> byStatus = codes.stream()
                .sorted()
                .collect(Collectors.groupingBy(ErrorCode::status, TreeMap::new, Collectors.toList()));
        ApiResponses responses = operation.getResponses();
        if (responses == null) {
            responses = new ApiResponses();
            operation.setResponses(responses);
        }
        for (var entry : byStatus.entrySet()) {
            String status = Integer.toString(entry.getKey());
            if (!responses.containsKey(status)) {
                responses.addApiResponse(status, response(entry.getKey(), entry.getValue()));
            }
        }
        if (!responses.containsKey("default")) {
            responses.addApiResponse(
                    "default", errorResponse("An unexpected failure (`INTERNAL_ERROR`); the body says no more."));
        }
    }

    private static ApiResponse response(int status, List<ErrorCode> codes) {
        String description = codes.stream()
                .map(code -> "`" + code.name() + "`: " + meaning(code))
                .collect(Collectors.joining("\n\n"));
        ApiResponse response = errorResponse(description);
        if (RETRYABLE.contains(status)) {
            response.addHeaderObject(
                    "Retry-After",
                    new Header()
                            .description("Whole seconds until a retry can succeed")
                            .schema(new IntegerSchema().minimum(BigDecimal.ONE)));
        }
        return response;
    }

    static ApiResponse errorResponse(String description) {
        return new ApiResponse()
                .description(description)
                .content(new Content()
                        .addMediaType(
                                "application/json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR_SCHEMA))));
    }

    /** What a code means, as the contract's error table says; a code added later reads as its bare name. */
    static String meaning(ErrorCode code) {
        return switch (code) {
            case VALIDATION_FAILED ->
                "a parameter, header or body field is missing, malformed or out of range (`details.field` names it "
                        + "when there is one)";
            case UNAUTHORIZED -> "a missing, expired, malformed, forged or revoked token, or wrong credentials";
            case FORBIDDEN -> "the caller lacks the role or right this needs";
            case USER_BLOCKED -> "one of the two users blocked the other";
            case ACCOUNT_SUSPENDED -> "the account is suspended (`details.until` says until when)";
            case CONVERSATION_NOT_FOUND -> "no such conversation, or the caller is not an active participant";
            case MESSAGE_NOT_FOUND -> "no such message, or the caller is not in its conversation";
            case USER_NOT_FOUND -> "no such user";
            case ATTACHMENT_NOT_FOUND -> "no such attachment, or not one the caller may see";
            case NOT_FOUND -> "no such resource, or not one of the caller's";
            case CONFLICT -> "the request conflicts with what is stored (a name taken, a message deleted)";
            case ATTACHMENT_TOO_LARGE -> "the declared or actual file size is over the limit (default 10 MiB)";
            case PAYLOAD_TOO_LARGE -> "the request body is over the API's limit (`details.max_bytes`)";
            case UNSUPPORTED_MEDIA_TYPE -> "the body is not sent as `application/json`";
            case MESSAGE_TOO_LONG -> "the text is over the length limit (default 4,000 code points)";
            case INVALID_ATTACHMENT ->
                "not a real image of an allowed type, undecodable, too many pixels, or not uploaded yet "
                        + "(`details.reason`)";
            case TOO_MANY_REACTIONS -> "the message already carries the most distinct emoji allowed (8)";
            case RATE_LIMIT_EXCEEDED ->
                "over a rate limit or a cap on open streams; `details.limit` names it and `details.retry_after` "
                        + "repeats the `Retry-After` header";
            case SERVICE_UNAVAILABLE ->
                "a dependency (database, Redis, storage) is down or overloaded, or the work ran past its time "
                        + "limit; try again after `Retry-After`";
            default -> code.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }
}
