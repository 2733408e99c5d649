package org.televisit.visits.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;

/**
 * What the audit trail's searches filter on, taken from one AuditEvent: the single-valued fields
 * (recorded, type, action, outcome) become columns of {@code audit_event}, the repeating ones
 * (subtype, agent, entity; agent-id and entity-id for identifiers, such as the SMART client that
 * asked) rows of {@code audit_event_index}. R4's patient parameter (an agent or entity that is a
 * Patient) is answered from the agent and entity rows.
 */
record AuditEventEntries(
    Instant recorded,
    String typeSystem,
    String typeCode,
    String action,
    String outcome,
    List<Entry> index) {

  static final int MAX_VALUE = 300;

  /** One searchable value: a token (system and code) or a reference (Type/id, no system). */
  record Entry(String param, String system, String value) {}

  static AuditEventEntries of(AuditEvent event) {
    Set<Entry> index = new LinkedHashSet<>();
    for (Coding subtype : event.getSubtype()) {
      if (subtype.hasCode()) {
        index.add(new Entry("subtype", subtype.getSystem(), subtype.getCode()));
      }
    }
    for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
      references("agent", agent.getWho(), index);
    }
    for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
      references("entity", entity.getWhat(), index);
    }
    Coding type = event.getType();
    return new AuditEventEntries(
        event.hasRecorded() ? event.getRecorded().toInstant() : Instant.now(),
        type.getSystem(),
        type.getCode(),
        event.hasAction() ? event.getAction().toCode() : null,
        event.hasOutcome() ? event.getOutcome().toCode() : null,
        List.copyOf(new ArrayList<>(index)));
  }

  /**
   * A reference as Type/id under {@code param}; an identifier (a SMART client's id) under {@code
   * param-id}.
   */
  private static void references(String param, Reference who, Set<Entry> index) {
    if (who.hasReference()) {
      index.add(new Entry(param, null, normalized(who.getReference())));
    }
    if (who.hasIdentifier() && who.getIdentifier().hasValue()) {
      index.add(
          new Entry(
              param + "-id", who.getIdentifier().getSystem(), who.getIdentifier().getValue()));
    }
  }

  /**
   * Type/id for any form of a resource reference (relative, absolute, versioned); anything else as
   * it is.
   */
  static String normalized(String reference) {
    IdType id = new IdType(reference);
    return id.hasResourceType() && id.hasIdPart()
        ? id.getResourceType() + "/" + id.getIdPart()
        : reference;
  }
}
