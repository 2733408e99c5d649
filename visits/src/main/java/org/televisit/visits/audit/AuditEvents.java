package org.televisit.visits.audit;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.stereotype.Component;
import org.televisit.fhir.FhirEndpointConfig;
import org.televisit.fhir.FhirServerProperties;

/**
 * /fhir/AuditEvent, served from Televisit's audit trail instead of HAPI's JPA store: read, search
 * (date, type, subtype, action, outcome, agent, entity, patient, _id, agent:identifier for an app's
 * client id; _sort by date or _id; _count and _offset pages) and create, so apps can record their
 * own events (IHE BALP). There is no update and no delete: the trail is append-only. Scopes and the
 * patient compartment are checked by the same interceptors as every other type.
 */
@Component
public class AuditEvents implements FhirEndpointConfig.ModuleResourceProvider {

  private final AuditTrail trail;
  private final FhirServerProperties properties;

  AuditEvents(AuditTrail trail, FhirServerProperties properties) {
    this.trail = trail;
    this.properties = properties;
  }

  @Override
  public Class<AuditEvent> getResourceType() {
    return AuditEvent.class;
  }

  @Override
  public Set<String> searchParameters() {
    return Set.of(
        "_id",
        AuditEvent.SP_DATE,
        AuditEvent.SP_TYPE,
        AuditEvent.SP_SUBTYPE,
        AuditEvent.SP_ACTION,
        AuditEvent.SP_OUTCOME,
        AuditEvent.SP_AGENT,
        AuditEvent.SP_ENTITY,
        AuditEvent.SP_PATIENT);
  }

  @Read
  public AuditEvent read(@IdParam IdType id) {
    if (!id.isIdPartValidLong()) {
      throw new ResourceNotFoundException(id);
    }
    if (id.hasVersionIdPart() && !"1".equals(id.getVersionIdPart())) {
      throw new ResourceNotFoundException(
          id); // an AuditEvent is never changed: it has version 1 only
    }
    return trail.read(id.getIdPartAsLong()).orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public IBundleProvider search(
      @OptionalParam(name = "_id") TokenAndListParam id,
      @OptionalParam(name = AuditEvent.SP_DATE) DateRangeParam date,
      @OptionalParam(name = AuditEvent.SP_TYPE) TokenAndListParam type,
      @OptionalParam(name = AuditEvent.SP_SUBTYPE) TokenAndListParam subtype,
      @OptionalParam(name = AuditEvent.SP_ACTION) TokenAndListParam action,
      @OptionalParam(name = AuditEvent.SP_OUTCOME) TokenAndListParam outcome,
      @OptionalParam(name = AuditEvent.SP_AGENT) ReferenceAndListParam agent,
      @OptionalParam(name = AuditEvent.SP_ENTITY) ReferenceAndListParam entity,
      @OptionalParam(name = AuditEvent.SP_PATIENT) ReferenceAndListParam patient,
      @Sort SortSpec sort,
      @Count Integer count,
      @Offset Integer offset) {
    int pageSize =
        count == null
            ? properties.defaultPageSize()
            : Math.min(Math.max(count, 0), properties.maximumPageSize());
    int from = offset == null ? 0 : offset;
    if (from < 0) {
      throw new InvalidRequestException("_offset cannot be negative");
    }
    AuditTrail.AuditEventPage page =
        trail.search(
            new AuditEventSearch(
                id, date, type, subtype, action, outcome, agent, entity, patient, sort),
            from,
            pageSize);
    // Offset pages: HAPI builds the next/previous links from these (a last page may link to an
    // empty one).
    SimpleBundleProvider result =
        new SimpleBundleProvider(new ArrayList<IBaseResource>(page.events()));
    result.setCurrentPageOffset(from);
    result.setCurrentPageSize(pageSize);
    result.setSize(page.total());
    return result;
  }

  @Create
  public MethodOutcome create(@ResourceParam AuditEvent event) {
    List<String> missing = new ArrayList<>();
    if (!event.getType().hasCode()) {
      missing.add("type");
    }
    if (!event.hasRecorded()) {
      missing.add("recorded");
    }
    if (event.getAgent().isEmpty() || event.getAgent().stream().anyMatch(a -> !a.hasRequestor())) {
      missing.add("agent (with requestor)");
    }
    if (!event.getSource().hasObserver()) {
      missing.add("source.observer");
    }
    if (!missing.isEmpty()) {
      throw new UnprocessableEntityException(
          "An AuditEvent needs " + String.join(", ", missing) + ".");
    }
    AuditEventEntries entries = AuditEventEntries.of(event);
    if (tooLong(entries.typeSystem(), 200)
        || tooLong(entries.typeCode(), 100)
        || entries.index().stream()
            .anyMatch(
                e -> tooLong(e.value(), AuditEventEntries.MAX_VALUE) || tooLong(e.system(), 200))) {
      throw new UnprocessableEntityException(
          "An AuditEvent's codes and references are kept to 300 characters (systems 200).");
    }
    long id = trail.posted(event, entries);
    MethodOutcome outcome =
        new MethodOutcome(new IdType("AuditEvent", String.valueOf(id), "1"), true);
    trail.read(id).ifPresent(outcome::setResource);
    return outcome;
  }

  private static boolean tooLong(String value, int max) {
    return value != null && value.length() > max;
  }
}
