package org.televisit.smart.server;

import java.time.Instant;

/**
 * What one authorization gave one app: the granted scopes and context. Every access token names its
 * grant (claim {@code sid}), so revoking the grant ends its access tokens and its refresh token at
 * once. {@code refreshToken} is the clear value, present only right after it was issued or rotated.
 */
public record Grant(
    String id,
    String clientId,
    String scope,
    GrantContext context,
    String refreshToken,
    Instant expiresAt) {

  @Override
  public String toString() {
    return "Grant[" + id + ", client " + clientId + "]"; // never the refresh token
  }
}
