package org.televisit.fhir.access;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.televisit.fhir.FhirEndpointConfig;
import org.televisit.smart.scopes.Interaction;
import org.televisit.smart.scopes.Scopes;
import org.televisit.smart.server.AccessTokens;
import org.televisit.smart.server.InvalidToken;
import org.televisit.smart.server.VerifiedToken;

/**
 * The door of /fhir: every request but metadata needs a valid bearer token from Televisit's
 * authorization server (401 with WWW-Authenticate otherwise), and its scopes must cover the
 * interaction on the type (403 with an OperationOutcome otherwise). Patient scopes are further
 * confined to the launch patient's compartment by {@link PatientCompartmentRules}, which reads the
 * token this leaves in the request.
 */
@Interceptor
public class SmartAccessInterceptor implements FhirEndpointConfig.FhirServerInterceptor {

  public static final String TOKEN = "televisit.smart.token";
  private static final Logger log = LoggerFactory.getLogger(SmartAccessInterceptor.class);

  private final AccessTokens tokens;
  private final String realm;
  private final AccessDenials denials;

  /** Told about every refusal, for the audit trail (ids only, never the token). */
  @FunctionalInterface
  public interface AccessDenials {
    void denied(String clientId, String resourceType, String operation, String reason);
  }

  public SmartAccessInterceptor(AccessTokens tokens, String realm, AccessDenials denials) {
    this.tokens = tokens;
    this.realm = realm;
    this.denials = denials;
  }

  @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = -100)
  public void check(RequestDetails request, RestOperationTypeEnum operation) {
    if (operation == RestOperationTypeEnum.METADATA) {
      return;
    }
    VerifiedToken token = authenticate(request, operation);
    request.getUserData().put(TOKEN, token);
    Scopes scopes = token.scopes();
    String type = request.getResourceName();
    if (operation == RestOperationTypeEnum.TRANSACTION
        || operation == RestOperationTypeEnum.BATCH) {
      checkEntries(token, request);
      return;
    }
    if (operation == RestOperationTypeEnum.GET_PAGE) {
      return; // the search was checked when it ran; PatientCompartmentRules checks what each page
      // shows
    }
    Optional<Interaction> interaction = ScopeCheck.interactionOf(operation);
    String op = request.getOperation();
    if (interaction.isEmpty()
        && "Appointment".equals(type)
        && op != null
        && List.of("$find", "$hold", "$book").contains(op)) {
      // scheduling: $find reads Slots and proposes; $hold and $book create or update Appointments
      List<Interaction> needed =
          "$find".equals(op)
              ? List.of(Interaction.SEARCH)
              : List.of(Interaction.CREATE, Interaction.UPDATE);
      for (Interaction i : needed) {
        if (!scopes.allows(type, i)) {
          throw forbidden(
              token,
              type,
              operation,
              "the granted scopes do not allow "
                  + op
                  + " (needs "
                  + i.name().toLowerCase()
                  + " on Appointment)");
        }
      }
      return;
    }
    if (interaction.isEmpty()) {
      // other extended operations ($validate, ...): only a user/system scope that may update the
      // type
      if (type == null
          ? !ScopeCheck.allowsAllTypes(scopes, Interaction.UPDATE)
          : !scopes.allows(type, Interaction.UPDATE)
              || scopes.confinedToPatient(type, Interaction.UPDATE)) {
        throw forbidden(token, type, operation, "the granted scopes do not allow this operation");
      }
      return;
    }
    if (type == null) {
      if (!ScopeCheck.allowsAllTypes(scopes, interaction.get())) {
        throw forbidden(
            token,
            null,
            operation,
            "a system-wide "
                + interaction.get().name().toLowerCase()
                + " needs a user/ or system/ scope on all types");
      }
      return;
    }
    if (!scopes.allows(type, interaction.get())) {
      throw forbidden(
          token,
          type,
          operation,
          "the granted scopes do not allow "
              + interaction.get().name().toLowerCase()
              + " on "
              + type);
    }
  }

  private VerifiedToken authenticate(RequestDetails request, RestOperationTypeEnum operation) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthenticated(
          "Bearer realm=\"" + realm + "\"", "An access token is required", request, operation);
    }
    try {
      return tokens.verify(header.substring(7).trim());
    } catch (InvalidToken e) {
      throw unauthenticated(
          "Bearer realm=\""
              + realm
              + "\", error=\"invalid_token\", error_description=\""
              + e.getMessage().replace("\"", "'")
              + "\"",
          "The access token is not valid: " + e.getMessage(),
          request,
          operation);
    }
  }

  private void checkEntries(VerifiedToken token, RequestDetails request) {
    if (!(request.getResource() instanceof Bundle bundle)) {
      return; // HAPI refuses a transaction without a bundle itself
    }
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      if (!entry.hasRequest() || !entry.getRequest().hasMethod() || !entry.getRequest().hasUrl()) {
        throw new InvalidRequestException(
            "every transaction entry needs request.method and request.url");
      }
      String method = entry.getRequest().getMethod().toCode();
      String url = entry.getRequest().getUrl();
      String type = ScopeCheck.typeOfEntry(url);
      Interaction interaction = ScopeCheck.interactionOfEntry(method, url);
      if (!token.scopes().allows(type, interaction)) {
        throw forbidden(
            token,
            type,
            RestOperationTypeEnum.TRANSACTION,
            "the granted scopes do not allow "
                + interaction.name().toLowerCase()
                + " on "
                + type
                + " (in the bundle)");
      }
    }
  }

  private ForbiddenOperationException forbidden(
      VerifiedToken token, String type, RestOperationTypeEnum operation, String why) {
    log.info("FHIR access denied to client {}: {}", token.clientId(), why);
    denials.denied(token.clientId(), type, operation.getCode(), why);
    return new ForbiddenOperationException("Access denied: " + why);
  }

  private AuthenticationException unauthenticated(
      String challenge, String message, RequestDetails request, RestOperationTypeEnum operation) {
    denials.denied(null, request.getResourceName(), operation.getCode(), message);
    AuthenticationException e = new AuthenticationException(message);
    e.addResponseHeader("WWW-Authenticate", challenge);
    return e;
  }
}
