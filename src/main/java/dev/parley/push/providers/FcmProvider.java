package dev.parley.push.providers;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.parley.common.LogThrottle;
import dev.parley.push.Platform;
import dev.parley.push.PushProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * FCM HTTP v1 ({@code POST /v1/projects/<project>/messages:send}), authorised by an OAuth2 access token that
 * Google's auth library gets for the service account (a JWT assertion signed with its key, refreshed before it
 * expires). {@code collapse_key} collapses a conversation's pushes on Android; {@code UNREGISTERED} (or 404)
 * means the token is gone.
 */
@Component
class FcmProvider implements PushProvider {

    private static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

    private static final Logger log = LoggerFactory.getLogger(FcmProvider.class);

    private final LogThrottle oauthFailures = new LogThrottle(Duration.ofMinutes(1));
    private final GoogleCredentials credentials;
    private final URI sendUri;
    private final ProviderHttp http;
    private final JsonMapper json;
    private final Clock clock;

    FcmProvider(PushProperties properties, ProviderHttp http, JsonMapper json, Clock clock) {
        PushProperties.Fcm config = properties.fcm();
        this.http = http;
        this.json = json;
        this.clock = clock;
        if (!config.configured()) {
            this.credentials = null;
            this.sendUri = null;
            return;
        }
        try (InputStream in = Files.newInputStream(config.credentialsFile())) {
            ServiceAccountCredentials account = ServiceAccountCredentials.fromStream(in);
            if (config.tokenUri() != null) {
                account =
                        account.toBuilder().setTokenServerUri(config.tokenUri()).build();
            }
            this.credentials = account.createScoped(List.of(SCOPE));
            String project = config.projectId() != null ? config.projectId() : account.getProjectId();
            String base = config.endpoint().toString().replaceAll("/+$", "");
            this.sendUri = URI.create(base + "/v1/projects/" + project + "/messages:send");
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot read parley.push.fcm.credentials-file " + config.credentialsFile(), e);
        }
    }

    @Override
    public Platform platform() {
        return Platform.FCM;
    }

    @Override
    public boolean configured() {
        return credentials != null;
    }

    @Override
    public CompletableFuture<Outcome> send(PushTarget target, PushPayload payload) {
        String token;
        try {
            credentials.refreshIfExpired();
            AccessToken access = credentials.getAccessToken();
            token = access.getTokenValue();
        } catch (IOException | RuntimeException e) {
            if (oauthFailures.due()) {
                log.warn(
                        "fcm_oauth_failed token_uri={}: {}",
                        credentials instanceof ServiceAccountCredentials account ? account.getTokenServerUri() : "?",
                        e.toString());
            }
            return CompletableFuture.completedFuture(Outcome.retry("oauth", null));
        }
        var request = http.post(sendUri)
                .headers(headers -> headers.put(HttpHeader.AUTHORIZATION, "Bearer " + token))
                .body(new StringRequestContent(
                        "application/json; charset=UTF-8", json.writeValueAsString(body(target, payload))));
        return ProviderHttp.send(request, this::outcome);
    }

    private Outcome outcome(ContentResponse response) {
        if (response.getContentAsString().contains("UNREGISTERED")) {
            return Outcome.gone("unregistered");
        }
        return ProviderHttp.byStatus(response, clock);
    }

    private static Map<String, Object> body(PushTarget target, PushPayload payload) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("token", target.token());
        message.put("data", payload.fields());
        message.put(
                "android",
                Map.of("collapse_key", payload.collapseId(), "priority", payload.dataOnly() ? "normal" : "high"));
        if (payload.title() != null || payload.body() != null) {
            Map<String, String> notification = new LinkedHashMap<>();
            if (payload.title() != null) {
                notification.put("title", payload.title());
            }
            if (payload.body() != null) {
                notification.put("body", payload.body());
            }
            message.put("notification", notification);
        }
        return Map.of("message", message);
    }
}
