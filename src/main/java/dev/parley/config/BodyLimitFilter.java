package dev.parley.config;

import dev.parley.common.ErrorCode;
import dev.parley.common.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Caps request bodies at {@code parley.http.max-body-size} before anything reads them: before authentication,
 * JSON parsing or form parsing, so an anonymous client cannot make the server hold a large body. A declared
 * {@code Content-Length} over the cap is refused at once, without reading a byte; a body of unknown length
 * (chunked) is counted as it is read and refused once it passes the cap, so at most the cap is ever read.
 * Either way the answer is 413 {@code PAYLOAD_TOO_LARGE}, sent before the container drains what is left of the
 * body (it drains at most {@code server.tomcat.max-swallow-size}, into a fixed buffer, then closes).
 *
 * <p>Uploads to the local store ({@code PUT /storage/**}) are left alone: their signed, exact length is the
 * limit there, checked by the store against the declared length before it reads.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BodyLimitFilter extends OncePerRequestFilter {

    private final long limit;
    private final JsonMapper json;

    BodyLimitFilter(HttpProperties properties, JsonMapper json) {
        this.limit = properties.maxBodySize().toBytes();
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        boolean mayHaveBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        // The servlet path is decoded and normalised (no "..", no ";params"): the path the request is routed by.
        boolean upload =
                "PUT".equals(request.getMethod()) && request.getServletPath().startsWith("/storage/");
        return !mayHaveBody || upload;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limit) {
            refuse(response);
            return;
        }
        LimitedRequest limited = new LimitedRequest(request, limit);
        try {
            chain.doFilter(limited, response);
        } catch (IOException | ServletException | RuntimeException e) {
            // A reader before the controllers (a form filter) met the limit; nothing answered the client yet.
            if (PayloadTooLargeException.in(e) == null || response.isCommitted()) {
                throw e;
            }
            response.reset();
            refuse(response);
            return;
        }
        if (limited.exceeded()) {
            // Send the 413 now: the container would otherwise first try to drain the rest of the body.
            response.flushBuffer();
        }
    }

    private void refuse(HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.CONNECTION, "close");
        ErrorBodies.write(
                response,
                json,
                ErrorCode.PAYLOAD_TOO_LARGE,
                "The request body is larger than " + limit + " bytes",
                Map.of("max_bytes", limit));
    }

    /** The request with a body stream that fails once more than {@code limit} bytes have come through it. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;
        private BufferedReader reader;
        private volatile boolean exceeded;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        boolean exceeded() {
            return exceeded;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream());
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            // The wrapped request's own reader would bypass the count.
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
            return reader;
        }

        private final class LimitedStream extends ServletInputStream {

            private final ServletInputStream in;
            private long count;

            LimitedStream(ServletInputStream in) {
                this.in = in;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (exceeded) {
                    throw new PayloadTooLargeException(limit);
                }
                // One byte past the limit at most: enough to know the body is too large, never more.
                int n = in.read(buffer, offset, (int) Math.min(length, limit - count + 1));
                if (n > 0) {
                    count += n;
                    if (count > limit) {
                        exceeded = true;
                        throw new PayloadTooLargeException(limit);
                    }
                }
                return n;
            }

            @Override
            public boolean isFinished() {
                return in.isFinished();
            }

            @Override
            public boolean isReady() {
                return in.isReady();
            }

            @Override
            public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
            }
        }
    }
}
