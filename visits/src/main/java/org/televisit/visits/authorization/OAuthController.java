package org.televisit.visits.authorization;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.JakartaServletUtils;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.televisit.smart.server.SmartServer;

/**
 * HTTP onto Televisit's authorization server: authorize (GET and POST), token, introspect, revoke,
 * jwks.
 */
@RestController
class OAuthController {

  private final SmartServer server;
  private final AuthorizeResponder responder;

  OAuthController(SmartServer server, AuthorizeResponder responder) {
    this.server = server;
    this.responder = responder;
  }

  @RequestMapping(
      value = "/oauth/authorize",
      method = {RequestMethod.GET, RequestMethod.POST})
  ResponseEntity<String> authorize(HttpServletRequest request) {
    return responder.answer(AuthorizeResponder.params(request), request);
  }

  @PostMapping("/oauth/token")
  void token(HttpServletRequest request, HttpServletResponse response) throws IOException {
    answer(request, response, server.tokenEndpoint()::token);
  }

  @PostMapping("/oauth/introspect")
  void introspect(HttpServletRequest request, HttpServletResponse response) throws IOException {
    answer(request, response, server.introspectionEndpoint()::introspect);
  }

  @PostMapping("/oauth/revoke")
  void revoke(HttpServletRequest request, HttpServletResponse response) throws IOException {
    answer(request, response, server.revocationEndpoint()::revoke);
  }

  @GetMapping(value = "/oauth/jwks", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> jwks() {
    return ResponseEntity.ok()
        .header("Cache-Control", "public, max-age=300")
        .body(server.accessTokens().publicKeys().toJSONObject(true));
  }

  private static void answer(
      HttpServletRequest request,
      HttpServletResponse response,
      Function<HTTPRequest, HTTPResponse> endpoint)
      throws IOException {
    // 64 KiB is far above any legitimate token request
    JakartaServletUtils.applyHTTPResponse(
        endpoint.apply(JakartaServletUtils.createHTTPRequest(request, 64 * 1024)), response);
  }
}
