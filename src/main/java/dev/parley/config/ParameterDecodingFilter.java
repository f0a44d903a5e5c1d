package dev.parley.config;

import dev.parley.common.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes the query parameters once, up front, and refuses a request whose parameters cannot be decoded
 * ({@code ?y=%ff}, {@code ?y=%zz}, too many of them): 400 {@code VALIDATION_FAILED}, logged in one line.
 *
 * <p>Tomcat decodes parameters lazily and throws from whichever {@code getParameter} call comes first: a
 * controller (the exception handler then saw an unknown exception: 500 and a stack trace), or a filter before
 * Spring MVC (then no handler of ours ran at all). Asking here, before anything else reads a parameter, gives
 * one answer whatever the route, with or without a token.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class ParameterDecodingFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ParameterDecodingFilter.class);

    private final JsonMapper json;

    ParameterDecodingFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            request.getParameterMap();
        } catch (InvalidParameterException e) {
            // The raw query only: Tomcat's message quotes the decoded value, which may hold line breaks.
            log.info(
                    "Refused {} {}?{}: parameters that cannot be decoded",
                    request.getMethod(),
                    request.getRequestURI(),
                    abbreviate(request.getQueryString()));
            ErrorCode code = e.getErrorCode() == ErrorCode.PAYLOAD_TOO_LARGE.status()
                    ? ErrorCode.PAYLOAD_TOO_LARGE
                    : ErrorCode.VALIDATION_FAILED;
            ErrorBodies.write(
                    response,
                    json,
                    code,
                    "The query string cannot be decoded: names and values must be percent-encoded UTF-8",
                    Map.of());
            return;
        }
        chain.doFilter(request, response);
    }

    private static String abbreviate(String query) {
        return query == null || query.length() <= 200 ? query : query.substring(0, 200) + "...";
    }
}
