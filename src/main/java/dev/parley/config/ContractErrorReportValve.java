package dev.parley.config;

import dev.parley.common.ErrorCode;
import java.io.IOException;
import java.util.Map;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP server's own refusals, made before any application code runs (a path that is not valid
 * percent-encoded UTF-8, {@code /api/v1/conversations/%ff}), answered with the contract's error body instead of
 * Tomcat's HTML page, and logged in one line. Errors inside the application keep their own answers: this only
 * writes a body where none was written.
 */
class ContractErrorReportValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(ContractErrorReportValve.class);

    private final JsonMapper json;

    ContractErrorReportValve(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ErrorCode code = code(status);
        // The raw request target only; Tomcat's message may quote decoded text.
        log.info(
                "Refused {} {} with {} {} before it reached the application",
                request.getMethod(),
                request.getRequestURI(),
                status,
                code);
        try {
            response.setSuspended(false);
            ErrorBodies.write(response, json, code, message(code), Map.of());
        } catch (IOException | IllegalStateException e) {
            log.debug("Could not write the error body: {}", e.toString());
        }
    }

    private static ErrorCode code(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.VALIDATION_FAILED;
        };
    }

    private static String message(ErrorCode code) {
        return switch (code) {
            case VALIDATION_FAILED ->
                "The request line or headers are malformed (a path must be valid" + " percent-encoded UTF-8)";
            case INTERNAL_ERROR -> "Internal error";
            default -> "The request was refused";
        };
    }
}
