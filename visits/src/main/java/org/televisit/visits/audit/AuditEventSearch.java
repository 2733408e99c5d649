package org.televisit.visits.audit;

import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An AuditEvent search as SQL over the audit trail's tables: each parameter given is one condition
 * (repeated parameters AND, comma-separated values OR), as FHIR's search rules say. agent and
 * entity also take the :identifier modifier (agent:identifier=urn:televisit:smart:client|my-app:
 * what an app did). What the trail cannot answer exactly (other modifiers, chains) is refused with
 * a 400 rather than answered loosely.
 */
record AuditEventSearch(
    TokenAndListParam id,
    DateRangeParam date,
    TokenAndListParam type,
    TokenAndListParam subtype,
    TokenAndListParam action,
    TokenAndListParam outcome,
    ReferenceAndListParam agent,
    ReferenceAndListParam entity,
    ReferenceAndListParam patient,
    SortSpec sort) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
  private static final String IDENTIFIER = "identifier";

  String where(List<Object> args) {
    List<String> conditions = new ArrayList<>();
    if (id != null) {
      for (TokenOrListParam any : id.getValuesAsQueryTokens()) {
        List<String> or = new ArrayList<>();
        for (TokenParam t : any.getValuesAsQueryTokens()) {
          or.add("e.id = ?");
          args.add(eventId(t.getValue()));
        }
        conditions.add(anyOf(or));
      }
    }
    if (date != null) {
      if (date.getLowerBoundAsInstant() != null) {
        conditions.add("e.recorded >= ?");
        args.add(new Timestamp(date.getLowerBoundAsInstant().getTime()));
      }
      if (date.getUpperBoundAsInstant() != null) {
        conditions.add("e.recorded <= ?");
        args.add(new Timestamp(date.getUpperBoundAsInstant().getTime()));
      }
    }
    columnTokens(type, "e.type_system", "e.type_code", null, conditions, args);
    columnTokens(
        action, null, "e.action", "http://hl7.org/fhir/audit-event-action", conditions, args);
    columnTokens(
        outcome, null, "e.outcome", "http://hl7.org/fhir/audit-event-outcome", conditions, args);
    if (subtype != null) {
      for (TokenOrListParam any : subtype.getValuesAsQueryTokens()) {
        List<String> or = new ArrayList<>();
        List<Object> orArgs = new ArrayList<>();
        for (TokenParam t : any.getValuesAsQueryTokens()) {
          or.add(token(t, "i.value_system", "i.value_code", orArgs));
        }
        conditions.add(indexed("subtype", or, orArgs, args));
      }
    }
    references("agent", agent, conditions, args);
    references("entity", entity, conditions, args);
    references("patient", patient, conditions, args);
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  String order() {
    if (sort == null) {
      return "e.id";
    }
    if (sort.getChain() != null) {
      throw new InvalidRequestException(
          "AuditEvents can be sorted by one of date, _lastUpdated or _id");
    }
    String direction = sort.getOrder() == SortOrderEnum.DESC ? " DESC" : "";
    return switch (sort.getParamName()) {
      case "date", "_lastUpdated" -> "e.recorded" + direction + ", e.id" + direction;
      case "_id" -> "e.id" + direction;
      default ->
          throw new InvalidRequestException(
              "AuditEvents can be sorted by date, _lastUpdated or _id, not by "
                  + sort.getParamName());
    };
  }

  private static long eventId(String value) {
    String id = value == null ? "" : value.replaceFirst("^AuditEvent/", "");
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      return -1; // no such event: the search finds nothing, as for any unknown id
    }
  }

  private static void columnTokens(
      TokenAndListParam param,
      String systemColumn,
      String codeColumn,
      String impliedSystem,
      List<String> conditions,
      List<Object> args) {
    if (param == null) {
      return;
    }
    for (TokenOrListParam any : param.getValuesAsQueryTokens()) {
      List<String> or = new ArrayList<>();
      for (TokenParam t : any.getValuesAsQueryTokens()) {
        if (impliedSystem != null
            && t.getSystem() != null
            && !t.getSystem().equals(impliedSystem)) {
          // action and outcome are codes of one fixed system each: another system matches nothing
          or.add("1 = 0");
        } else {
          or.add(
              token(
                  impliedSystem == null
                      ? t
                      : new TokenParam(null, t.getValue()).setModifier(t.getModifier()),
                  systemColumn,
                  codeColumn,
                  args));
        }
      }
      conditions.add(anyOf(or));
    }
  }

  private static String token(
      TokenParam t, String systemColumn, String codeColumn, List<Object> args) {
    if (t.getModifier() != null) {
      throw new InvalidRequestException(
          "AuditEvent token searches take no modifier (" + t.getModifier().getValue() + ")");
    }
    List<String> parts = new ArrayList<>();
    if (t.getValue() != null && !t.getValue().isEmpty()) {
      parts.add(codeColumn + " = ?");
      args.add(t.getValue());
    }
    if (systemColumn != null && t.getSystem() != null) {
      if (t.getSystem().isEmpty()) {
        parts.add(systemColumn + " IS NULL"); // |code: a code without a system
      } else {
        parts.add(systemColumn + " = ?");
        args.add(t.getSystem());
      }
    }
    if (parts.isEmpty()) {
      throw new InvalidRequestException("an empty token in an AuditEvent search");
    }
    return parts.size() == 1 ? parts.get(0) : "(" + String.join(" AND ", parts) + ")";
  }

  private static void references(
      String param, ReferenceAndListParam and, List<String> conditions, List<Object> args) {
    if (and == null) {
      return;
    }
    for (ReferenceOrListParam any : and.getValuesAsQueryTokens()) {
      List<String> or = new ArrayList<>();
      List<Object> orArgs = new ArrayList<>();
      if (!any.getValuesAsQueryTokens().isEmpty()
          && IDENTIFIER.equals(any.getValuesAsQueryTokens().get(0).getResourceType())) {
        if ("patient".equals(param)) {
          throw new InvalidRequestException(
              "patient:identifier is not supported: search by patient=Patient/id");
        }
        for (ReferenceParam r : any.getValuesAsQueryTokens()) {
          // HAPI reads agent:identifier=system|value as a reference of type "identifier"
          TokenParam t = new TokenParam();
          t.setValueAsQueryToken(null, param, null, r.getValue());
          or.add(token(t, "i.value_system", "i.value_code", orArgs));
        }
        conditions.add(indexed(param + "-id", or, orArgs, args));
        continue;
      }
      for (ReferenceParam r : any.getValuesAsQueryTokens()) {
        if (r.getChain() != null) {
          throw new InvalidRequestException(
              "AuditEvent searches take no chained parameters ("
                  + param
                  + "."
                  + r.getChain()
                  + ")");
        }
        String idPart = r.getIdPart();
        if (idPart == null || !ID.matcher(idPart).matches()) {
          throw new InvalidRequestException(
              "the " + param + " parameter needs a reference such as Patient/123");
        }
        String resourceType =
            r.getResourceType() != null
                ? r.getResourceType()
                : "patient".equals(param) ? "Patient" : null;
        if (resourceType == null) {
          or.add("i.value_code LIKE ?"); // an id without a type matches that id of any type
          orArgs.add("%/" + idPart);
        } else {
          or.add("i.value_code = ?");
          orArgs.add(resourceType + "/" + idPart);
        }
      }
      conditions.add(indexed(param, or, orArgs, args));
    }
  }

  private static String anyOf(List<String> or) {
    return or.size() == 1 ? or.get(0) : "(" + String.join(" OR ", or) + ")";
  }

  /**
   * One AND-group over the index rows of one parameter: some row of the event matches any of {@code
   * or}.
   */
  private static String indexed(
      String param, List<String> or, List<Object> orArgs, List<Object> args) {
    String params;
    if ("patient".equals(param)) {
      params =
          "i.param IN ('agent', 'entity')"; // a Patient among the agents or entities, as R4 defines
      // it
    } else {
      params = "i.param = ?";
      args.add(param);
    }
    args.addAll(orArgs);
    return "EXISTS (SELECT 1 FROM televisit.audit_event_index i WHERE i.event_id = e.id AND "
        + params
        + " AND "
        + anyOf(or)
        + ")";
  }
}
