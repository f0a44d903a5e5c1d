package dev.parley.common;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.exc.MismatchedInputException;

/** Maps every failure to the contract's error body; a client mistake never becomes a 500. */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    /** A 503 whose thrower named no time (Redis-backed presence, say) still tells the client when to come back. */
    private static final long DEFAULT_RETRY_AFTER_SECONDS = 5;

    private final Outages outages;

    public ApiExceptionHandler(Outages outages) {
        this.outages = outages;
    }

    @ExceptionHandler(ParleyException.class)
    ResponseEntity<ApiError> parley(ParleyException e, HttpServletRequest request) {
        if (e instanceof UnavailableException unavailable) {
            outages.refused(unavailable, request.getMethod() + " " + request.getRequestURI());
        }
        Long retryAfter = e.retryAfterSeconds();
        if (retryAfter == null && e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
            retryAfter = DEFAULT_RETRY_AFTER_SECONDS;
        }
        return body(e.code(), e.getMessage(), e.details(), retryAfter);
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ApiError> invalidBody(MethodArgumentNotValidException e) {
        FieldError error = e.getBindingResult().getFieldError();
        if (error == null) {
            return body(ErrorCode.VALIDATION_FAILED, "Request body is invalid", Map.of());
        }
        String field = FieldNames.snake(error.getField());
        return body(ErrorCode.VALIDATION_FAILED, field + " " + error.getDefaultMessage(), Map.of("field", field));
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ApiError> invalidParameter(HandlerMethodValidationException e) {
        var result = e.getParameterValidationResults().stream().findFirst();
        if (result.isEmpty()) {
            return body(ErrorCode.VALIDATION_FAILED, "Request is invalid", Map.of());
        }
        String field = FieldNames.snake(result.get().getMethodParameter().getParameterName());
        String reason = result.get().getResolvableErrors().stream()
                .findFirst()
                .map(err -> err.getDefaultMessage())
                .orElse("is invalid");
        return body(ErrorCode.VALIDATION_FAILED, field + " " + reason, Map.of("field", field));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        PayloadTooLargeException tooLarge = PayloadTooLargeException.in(e);
        if (tooLarge != null) {
            return tooLarge(tooLarge);
        }
        Throwable cause = e.getCause();
        if (cause instanceof StreamConstraintsException limit) {
            // The JSON parsing limits (spring.jackson.factory.constraints.read.*): nesting, string, number length.
            return body(
                    ErrorCode.VALIDATION_FAILED,
                    "JSON over a parsing limit: "
                            + limit.getOriginalMessage().replaceAll(" \\(from `[^`]*`\\)|, from `[^`]*`", ""),
                    Map.of());
        }
        if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            String field = FieldNames.of(jackson.getPath());
            return body(ErrorCode.VALIDATION_FAILED, field + " has the wrong type or format", Map.of("field", field));
        }
        String message = cause instanceof MismatchedInputException
                ? "Request body must be a JSON object"
                : cause instanceof JacksonException ? "Malformed JSON" : "Request body is missing or unreadable";
        return body(ErrorCode.VALIDATION_FAILED, message, Map.of());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e) {
        String field = FieldNames.snake(e.getName());
        return body(ErrorCode.VALIDATION_FAILED, field + " has the wrong format", Map.of("field", field));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e) {
        return body(
                ErrorCode.VALIDATION_FAILED,
                e.getParameterName() + " is required",
                Map.of("field", e.getParameterName()));
    }

    @ExceptionHandler(MissingPathVariableException.class)
    ResponseEntity<ApiError> missingPath(MissingPathVariableException e) {
        return body(ErrorCode.NOT_FOUND, "No such resource", Map.of());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noResource(NoResourceFoundException e) {
        return body(ErrorCode.NOT_FOUND, "No such endpoint: " + e.getResourcePath(), Map.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return body(ErrorCode.METHOD_NOT_ALLOWED, "Method " + e.getMethod() + " is not allowed here", Map.of());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return body(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send JSON with Content-Type: application/json", Map.of());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return body(ErrorCode.VALIDATION_FAILED, "This endpoint answers with application/json", Map.of());
    }

    /**
     * A safety net under the input checks: a value the database cannot hold (SQLSTATE class 22) is the client's
     * mistake; an unreachable or overloaded database is temporary ({@link Outages}), and a retry (sends are
     * idempotent with client_message_id) will do. Anything else is ours.
     */
    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ApiError> database(DataAccessException e, HttpServletRequest request) {
        String state = SqlStates.of(e);
        if (state != null && state.startsWith("22")) {
            return body(ErrorCode.VALIDATION_FAILED, "A value is out of range or malformed", Map.of());
        }
        return unexpected(e, request);
    }

    /** A client left a streaming response (Server-Sent Events, a long poll): there is no one to answer. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone(AsyncRequestNotUsableException e, HttpServletRequest request) {
        log.debug("Client went away on {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    }

    /** The body limit met by code that reads the body itself (an upload, a form) rather than through JSON. */
    private static ResponseEntity<ApiError> tooLarge(PayloadTooLargeException e) {
        return body(ErrorCode.PAYLOAD_TOO_LARGE, e.getMessage(), Map.of("max_bytes", e.limit()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e, HttpServletRequest request) {
        PayloadTooLargeException tooLarge = PayloadTooLargeException.in(e);
        if (tooLarge != null) {
            return tooLarge(tooLarge);
        }
        // However it was wrapped (a failed rollback, a transaction that could not begin), an outage is a 503.
        UnavailableException unavailable = Outages.classify(e);
        if (unavailable != null) {
            return parley(unavailable, request);
        }
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return body(ErrorCode.INTERNAL_ERROR, "Internal error", Map.of());
    }

    private static ResponseEntity<ApiError> body(ErrorCode code, String message, Map<String, Object> details) {
        return body(code, message, details, null);
    }

    /** {@code retryAfterSeconds}, when given, goes out as {@code Retry-After} (429 and 503 both use it). */
    private static ResponseEntity<ApiError> body(
            ErrorCode code, String message, Map<String, Object> details, Long retryAfterSeconds) {
        var response = ResponseEntity.status(code.status());
        if (retryAfterSeconds != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        // JSON even when the client asked for another type (an EventSource sends Accept: text/event-stream).
        return response.contentType(MediaType.APPLICATION_JSON).body(ApiError.of(code, message, details));
    }
}
