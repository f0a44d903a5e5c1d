package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

/** Which address a request counts as coming from, given the proxies the operator trusts. */
class ClientAddressFilterTest {

    @Test
    void withNoTrustedProxyTheHeaderIsIgnored() throws Exception {
        assertThat(client(List.of(), "10.0.0.1", "203.0.113.9")).isEqualTo("10.0.0.1");
    }

    @Test
    void fromATrustedProxyTheRightmostUntrustedHopIsTheClient() throws Exception {
        List<String> trusted = List.of("10.0.0.0/8", "192.0.2.7");
        // The client may write anything on the left; only what our proxies appended counts.
        assertThat(client(trusted, "10.0.0.1", "1.1.1.1, 203.0.113.9, 192.0.2.7"))
                .isEqualTo("203.0.113.9");
        assertThat(client(trusted, "10.0.0.1", "203.0.113.9:4711")).isEqualTo("203.0.113.9");
        assertThat(client(trusted, "10.0.0.1", "[2001:db8::1]:443")).isEqualTo("2001:db8::1");
        // Garbage where an address belongs: the chain is believed no further than the last trusted hop.
        assertThat(client(trusted, "10.0.0.1", "evil.example, 10.1.2.3")).isEqualTo("10.1.2.3");
        // Only proxies: the leftmost is as far as it goes.
        assertThat(client(trusted, "10.0.0.1", "10.9.9.9")).isEqualTo("10.9.9.9");
        assertThat(client(trusted, "10.0.0.1", null)).isEqualTo("10.0.0.1");
    }

    @Test
    void fromAnyOtherPeerTheHeaderIsIgnored() throws Exception {
        assertThat(client(List.of("10.0.0.0/8"), "198.51.100.1", "203.0.113.9")).isEqualTo("198.51.100.1");
    }

    @Test
    void aSettingThatIsNoAddressStopsStartUp() {
        assertThatThrownBy(() -> new ClientAddressFilter(
                        new HttpProperties(List.of("*"), List.of("proxy.local"), DataSize.ofKilobytes(64))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("parley.http.trusted-proxies");
    }

    private static String client(List<String> trusted, String peer, String forwardedFor) throws Exception {
        ClientAddressFilter filter =
                new ClientAddressFilter(new HttpProperties(List.of("*"), trusted, DataSize.ofKilobytes(64)));
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/auth/login");
        request.setRemoteAddr(peer);
        if (forwardedFor != null) {
            request.addHeader("X-Forwarded-For", forwardedFor);
        }
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, new MockHttpServletResponse(), chain);
        return chain.getRequest().getRemoteAddr();
    }
}
