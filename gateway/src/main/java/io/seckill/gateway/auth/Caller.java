package io.seckill.gateway.auth;

/** The authenticated user of a request: the token's {@code sub}, whether it holds the admin role, and when the token expires. */
public record Caller(String userId, boolean admin, long expiresAtMillis) {
}
