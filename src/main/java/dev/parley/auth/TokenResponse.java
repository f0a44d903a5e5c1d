package dev.parley.auth;

import dev.parley.user.UserView;

/** {@code {user, access_token, token_type, expires_in, refresh_token}}. */
public record TokenResponse(UserView user, String accessToken, String tokenType, long expiresIn, String refreshToken) {}
