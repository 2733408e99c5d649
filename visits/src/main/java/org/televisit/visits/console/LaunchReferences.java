package org.televisit.visits.console;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;

/** References in a launch (fhirUser, fhirContext), relative or absolute, as Type/id. */
final class LaunchReferences {

  private LaunchReferences() {}

  /**
   * {@code Type/id} of a relative reference, or of an absolute one on {@code base}; empty for one
   * on another server or one that is no reference at all.
   */
  static Optional<String> relative(String reference, String base) {
    if (reference == null || reference.isBlank()) {
      return Optional.empty();
    }
    String prefix = base.endsWith("/") ? base : base + "/";
    String local = reference.startsWith(prefix) ? reference.substring(prefix.length()) : reference;
    if (local.contains("://")) {
      return Optional.empty();
    }
    IdType id = new IdType(local);
    if (!id.hasResourceType()
        || !id.hasIdPart()
        || !local.matches("[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}(/_history/.*)?")) {
      return Optional.empty();
    }
    return Optional.of(id.getResourceType() + "/" + id.getIdPart());
  }

  /**
   * The fhirContext references of one type, as Type/id (relative ones; SMART's fhirContext is
   * relative).
   */
  static List<String> ofType(List<String> fhirContext, String type) {
    return fhirContext.stream()
        .filter(r -> r != null && r.startsWith(type + "/"))
        .map(r -> new IdType(r))
        .filter(IdType::hasIdPart)
        .map(id -> type + "/" + id.getIdPart())
        .toList();
  }
}
