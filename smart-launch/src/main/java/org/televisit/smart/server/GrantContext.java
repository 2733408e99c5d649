package org.televisit.smart.server;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who the grant is for and what the app was launched with: the user (a FHIR reference such as
 * Practitioner/12, absent for backend services) and the SMART launch context returned with the
 * token and enforced on /fhir (patient scopes are confined to {@code patient}'s compartment).
 */
public record GrantContext(
    String user,
    String patient,
    String encounter,
    List<String> fhirContext,
    boolean needPatientBanner,
    String intent) {

  public GrantContext {
    fhirContext = fhirContext == null ? List.of() : List.copyOf(fhirContext);
  }

  public static GrantContext none() {
    return new GrantContext(null, null, null, List.of(), false, null);
  }

  public GrantContext withUser(String newUser) {
    return new GrantContext(newUser, patient, encounter, fhirContext, needPatientBanner, intent);
  }

  public GrantContext withPatient(String newPatient) {
    return new GrantContext(user, newPatient, encounter, fhirContext, needPatientBanner, intent);
  }

  /** SMART's patient and encounter launch parameters are ids, not references. */
  static String idPart(String reference) {
    return reference.substring(reference.lastIndexOf('/') + 1);
  }

  String toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    put(json, "user", user);
    put(json, "patient", patient);
    put(json, "encounter", encounter);
    json.put("fhirContext", new ArrayList<>(fhirContext));
    json.put("need_patient_banner", needPatientBanner);
    put(json, "intent", intent);
    return JSONObjectUtils.toJSONString(json);
  }

  static GrantContext fromJson(String text) {
    try {
      Map<String, Object> json = JSONObjectUtils.parse(text);
      return new GrantContext(
          JSONObjectUtils.getString(json, "user"),
          JSONObjectUtils.getString(json, "patient"),
          JSONObjectUtils.getString(json, "encounter"),
          json.containsKey("fhirContext")
              ? JSONObjectUtils.getStringList(json, "fhirContext")
              : List.of(),
          JSONObjectUtils.getBoolean(json, "need_patient_banner"),
          JSONObjectUtils.getString(json, "intent"));
    } catch (ParseException e) {
      throw new IllegalStateException("stored grant context is not JSON", e);
    }
  }

  private static void put(Map<String, Object> json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
