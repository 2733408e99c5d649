package org.televisit.smart.server;

import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

/**
 * RFC 7009 revocation. An app may revoke its own access or refresh token; either ends the whole
 * grant (its access tokens stop working on /fhir at once on this node, within seconds on others).
 * Unknown tokens and other apps' tokens get the same 200, so the endpoint reveals nothing.
 */
public final class RevocationEndpoint {

  private final ClientAuthenticator authenticator;
  private final AccessTokens tokens;
  private final Grants grants;
  private final SecurityEvent.Sink events;

  RevocationEndpoint(
      ClientAuthenticator authenticator,
      AccessTokens tokens,
      Grants grants,
      SecurityEvent.Sink events) {
    this.authenticator = authenticator;
    this.tokens = tokens;
    this.grants = grants;
    this.events = events;
  }

  public HTTPResponse revoke(HTTPRequest httpRequest) {
    TokenRevocationRequest request;
    SmartClient client;
    try {
      request = ClientRefused.parsed(TokenRevocationRequest::parse, httpRequest);
      client = authenticator.authenticate(request.getClientAuthentication(), request.getClientID());
    } catch (ClientRefused refused) {
      return refused.answer(events, SecurityEvent.Kind.REVOKE, null);
    }
    String token = request.getToken().getValue();
    boolean revoked = grants.revokeByRefreshToken(token, client.clientId());
    if (!revoked) {
      try {
        VerifiedToken access = tokens.verify(token);
        if (access.clientId().equals(client.clientId())) {
          grants.revoke(access.grantId());
          revoked = true;
        }
      } catch (InvalidToken ignored) {
        // expired, revoked or unknown: nothing to do, and the answer must not tell
      }
    }
    events.record(
        new SecurityEvent(
            SecurityEvent.Kind.REVOKE,
            client.clientId(),
            true,
            revoked ? "revoked" : "nothing to revoke"));
    HTTPResponse ok = new HTTPResponse(HTTPResponse.SC_OK);
    ok.setCacheControl("no-store");
    return ok;
  }
}
