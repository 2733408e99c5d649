package org.televisit.fhir.access;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import java.util.Optional;
import org.televisit.smart.scopes.Interaction;
import org.televisit.smart.scopes.ResourceScope;
import org.televisit.smart.scopes.Scopes;

/**
 * Which SMART interaction a FHIR REST operation is, and whether the granted scopes cover it. Pure,
 * so every mapping is unit-tested without a server.
 */
final class ScopeCheck {

  /**
   * The interaction of an operation on a type; empty for operations that need no resource scope.
   */
  static Optional<Interaction> interactionOf(RestOperationTypeEnum operation) {
    return switch (operation) {
      case READ, VREAD, HISTORY_INSTANCE -> Optional.of(Interaction.READ);
      case SEARCH_TYPE, SEARCH_SYSTEM, HISTORY_TYPE, HISTORY_SYSTEM ->
          Optional.of(Interaction.SEARCH);
      case CREATE -> Optional.of(Interaction.CREATE);
      case UPDATE, PATCH, META_ADD, META_DELETE -> Optional.of(Interaction.UPDATE);
      case DELETE -> Optional.of(Interaction.DELETE);
      default -> Optional.empty();
    };
  }

  /** A transaction entry's interaction from its HTTP method and URL (type, type/id, type?query). */
  static Interaction interactionOfEntry(String method, String url) {
    boolean instance = url != null && url.contains("/") && !url.contains("?");
    return switch (method) {
      case "GET", "HEAD" -> instance ? Interaction.READ : Interaction.SEARCH;
      case "POST" -> Interaction.CREATE;
      case "PUT", "PATCH" -> Interaction.UPDATE;
      case "DELETE" -> Interaction.DELETE;
      default -> throw new IllegalArgumentException("unknown method " + method);
    };
  }

  /** The resource type a transaction entry URL names. */
  static String typeOfEntry(String url) {
    String path = url.startsWith("/") ? url.substring(1) : url;
    int end = path.length();
    for (char c : new char[] {'/', '?', '$'}) {
      int i = path.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return path.substring(0, end);
  }

  /** Whether a system-wide search or history is allowed: only by a scope on all types. */
  static boolean allowsAllTypes(Scopes scopes, Interaction interaction) {
    return scopes.resourceScopes().stream()
        .anyMatch(
            s ->
                "*".equals(s.resourceType())
                    && s.interactions().contains(interaction)
                    && s.context() != ResourceScope.Context.PATIENT);
  }

  private ScopeCheck() {}
}
