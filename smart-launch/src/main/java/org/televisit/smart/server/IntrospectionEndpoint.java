package org.televisit.smart.server;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 7662 introspection with SMART's additions: for an active access token the scope, client_id,
 * exp, the launch context and the user (iss, sub, fhirUser); {"active": false} for anything else.
 * Only a confidential app (a resource server, for instance) may ask.
 */
public final class IntrospectionEndpoint {

  private final ClientAuthenticator authenticator;
  private final AccessTokens tokens;
  private final Grants grants;
  private final ServerUrls urls;
  private final SecurityEvent.Sink events;

  IntrospectionEndpoint(
      ClientAuthenticator authenticator,
      AccessTokens tokens,
      Grants grants,
      ServerUrls urls,
      SecurityEvent.Sink events) {
    this.authenticator = authenticator;
    this.tokens = tokens;
    this.grants = grants;
    this.urls = urls;
    this.events = events;
  }

  public HTTPResponse introspect(HTTPRequest httpRequest) {
    TokenIntrospectionRequest request;
    SmartClient caller;
    try {
      request = ClientRefused.parsed(TokenIntrospectionRequest::parse, httpRequest);
      if (request.getClientAuthentication() == null) {
        throw new ClientRefused(
            OAuth2Error.INVALID_CLIENT, "introspection needs a confidential client");
      }
      caller = authenticator.authenticate(request.getClientAuthentication(), null);
    } catch (ClientRefused refused) {
      return refused.answer(events, SecurityEvent.Kind.INTROSPECT, null);
    }
    String token = request.getToken().getValue();
    TokenIntrospectionSuccessResponse answer =
        accessToken(token)
            .or(() -> refreshToken(token))
            .orElseGet(() -> new TokenIntrospectionSuccessResponse.Builder(false).build());
    events.record(
        new SecurityEvent(
            SecurityEvent.Kind.INTROSPECT,
            caller.clientId(),
            true,
            answer.isActive() ? "active" : "inactive"));
    return answer.toHTTPResponse();
  }

  private Optional<TokenIntrospectionSuccessResponse> accessToken(String token) {
    try {
      VerifiedToken t = tokens.verify(token);
      TokenIntrospectionSuccessResponse.Builder b =
          new TokenIntrospectionSuccessResponse.Builder(true)
              .scope(Scope.parse(t.scopes().asString()))
              .clientID(new ClientID(t.clientId()))
              .tokenType(AccessTokenType.BEARER)
              .expirationTime(Date.from(t.expiresAt()))
              .issueTime(Date.from(t.issuedAt()))
              .issuer(new Issuer(urls.issuer()))
              .subject(new Subject(t.subject()));
      b.parameter("aud", urls.fhirBase().toString());
      if (t.patient() != null) {
        b.parameter("patient", GrantContext.idPart(t.patient()));
      }
      if (t.encounter() != null) {
        b.parameter("encounter", GrantContext.idPart(t.encounter()));
      }
      if (!t.fhirContext().isEmpty()) {
        b.parameter(
            "fhirContext", t.fhirContext().stream().map(r -> Map.of("reference", r)).toList());
      }
      if (t.user() != null) {
        b.parameter("fhirUser", urls.absolute(t.user()).toString());
      }
      return Optional.of(b.build());
    } catch (InvalidToken e) {
      return Optional.empty();
    }
  }

  private Optional<TokenIntrospectionSuccessResponse> refreshToken(String token) {
    return grants
        .byRefreshToken(token)
        .map(
            g ->
                new TokenIntrospectionSuccessResponse.Builder(true)
                    .scope(Scope.parse(g.scope()))
                    .clientID(new ClientID(g.clientId()))
                    .tokenType(new AccessTokenType("refresh_token"))
                    .expirationTime(Date.from(g.expiresAt()))
                    .build());
  }
}
