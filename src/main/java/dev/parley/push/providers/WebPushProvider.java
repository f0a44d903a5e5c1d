package dev.parley.push.providers;

import dev.parley.push.Platform;
import dev.parley.push.PushProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Web Push (RFC 8030): the payload encrypted for the subscription (RFC 8291, {@code aes128gcm}) and the request
 * signed with the server's VAPID key (RFC 8292). {@code Topic} collapses a conversation's pushes; 404 and 410
 * mean the subscription is gone.
 */
@Component
class WebPushProvider implements PushProvider {

    private final VapidKeys vapid;
    private final ProviderHttp http;
    private final JsonMapper json;
    private final Clock clock;
    private final PushProperties.WebPush config;

    WebPushProvider(VapidKeys vapid, ProviderHttp http, JsonMapper json, Clock clock, PushProperties properties) {
        this.vapid = vapid;
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.config = properties.webpush();
    }

    @Override
    public Platform platform() {
        return Platform.WEBPUSH;
    }

    @Override
    public boolean configured() {
        return true;
    }

    @Override
    public CompletableFuture<Outcome> send(PushTarget target, PushPayload payload) {
        URI endpoint = WebPushEndpoints.check(target.token(), config.allowInsecureLoopback());
        if (endpoint == null || target.p256dh() == null || target.auth() == null) {
            return CompletableFuture.completedFuture(Outcome.gone("invalid_subscription"));
        }
        byte[] body;
        try {
            body = WebPushCrypto.encrypt(
                    json.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8),
                    Base64.getUrlDecoder().decode(target.p256dh()),
                    Base64.getUrlDecoder().decode(target.auth()));
        } catch (IllegalArgumentException badKeys) {
            return CompletableFuture.completedFuture(Outcome.gone("invalid_subscription"));
        }
        var request = http.post(endpoint)
                .headers(headers -> headers.put(HttpHeader.AUTHORIZATION, vapid.authorization(endpoint))
                        .put(HttpHeader.CONTENT_ENCODING, "aes128gcm")
                        .put("TTL", Long.toString(config.ttl().toSeconds()))
                        .put("Topic", payload.collapseId())
                        .put("Urgency", payload.dataOnly() ? "normal" : "high"))
                .body(new BytesRequestContent("application/octet-stream", body));
        return ProviderHttp.send(request, response -> ProviderHttp.byStatus(response, clock));
    }
}
