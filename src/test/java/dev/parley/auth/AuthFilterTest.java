package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.parley.common.AuthUser;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AuthFilterTest {

    private final AccessTokens tokens = mock(AccessTokens.class);
    private final JsonMapper json = JsonMapper.builder().build();
    private final AuthFilter filter = new AuthFilter(new BearerCheck(tokens, json));

    @Test
    void aFailureWhileCheckingTheTokenIsAContractShaped503() throws Exception {
        when(tokens.authenticate(any())).thenThrow(new IllegalStateException("database is down"));
        MockHttpServletResponse response = run("Bearer some.jwt.token");
        assertThat(response.getStatus()).isEqualTo(503);
        JsonNode body = json.readTree(response.getContentAsString());
        assertThat(body.path("code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(body.has("details")).isTrue();
    }

    @Test
    void aRejectedTokenIsA401WithTheBearerChallenge() throws Exception {
        when(tokens.authenticate(any())).thenReturn(Optional.empty());
        MockHttpServletResponse response = run("Bearer nope");
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(json.readTree(response.getContentAsString()).path("code").asString())
                .isEqualTo("UNAUTHORIZED");
    }

    @Test
    void anAcceptedTokenPassesTheCallerOn() throws Exception {
        AuthUser user = new AuthUser(UUID.randomUUID());
        when(tokens.authenticate("good")).thenReturn(Optional.of(user));
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/users/me");
        request.addHeader("Authorization", "Bearer good");
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, new MockHttpServletResponse(), chain);
        assertThat(chain.getRequest()).isNotNull();
        assertThat(request.getAttribute(AuthFilter.ATTRIBUTE)).isEqualTo(user);
    }

    private MockHttpServletResponse run(String authorization) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/users/me");
        request.addHeader("Authorization", authorization);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        assertThat(chain.getRequest())
                .as("the request must not reach the controllers")
                .isNull();
        return response;
    }
}
