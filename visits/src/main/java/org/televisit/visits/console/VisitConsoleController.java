package org.televisit.visits.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.televisit.smart.launch.LaunchContext;
import org.televisit.smart.server.ServerUrls;
import org.televisit.video.rooms.JoinData;
import org.televisit.video.rooms.VideoUnavailable;
import org.televisit.visits.launch.LaunchController;
import org.televisit.visits.visit.VisitWorkflow;

/**
 * The clinician console's actions, for the visit the EHR launched with (the session's launch context:
 * its Appointment from fhirContext, the clinician from fhirUser): start, admit someone waiting, end.
 * JSON only (a cross-site form cannot send it), never a token of the EHR.
 */
@RestController
public class VisitConsoleController {

  private final VisitWorkflow workflow;
  private final ServerUrls urls;
  private final org.televisit.visits.presence.PresenceHub presence;
  private final ca.uhn.fhir.jpa.api.dao.DaoRegistry daos;
  private final org.springframework.beans.factory.ObjectProvider<org.televisit.visits.join.JoinLinkIssuer> linkIssuer;

  VisitConsoleController(VisitWorkflow workflow, ServerUrls urls, org.televisit.visits.presence.PresenceHub presence,
      ca.uhn.fhir.jpa.api.dao.DaoRegistry daos,
      org.springframework.beans.factory.ObjectProvider<org.televisit.visits.join.JoinLinkIssuer> linkIssuer) {
    this.daos = daos;
    this.linkIssuer = linkIssuer;
    this.workflow = workflow;
    this.urls = urls;
    this.presence = presence;
  }

  /** The patient banner (name, birth date, gender, MRN) unless the EHR said need_patient_banner=false. */
  @org.springframework.web.bind.annotation.GetMapping(value = "/api/console/patient", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> patient(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    LaunchContext context = session == null ? null : (LaunchContext) session.getAttribute(LaunchController.CONTEXT);
    if (context == null || context.patient() == null) {
      throw new Unauthenticated();
    }
    visit(request); // same-store visits only, as for every console action
    org.hl7.fhir.r4.model.Patient p = (org.hl7.fhir.r4.model.Patient) daos.getResourceDao("Patient")
        .read(new org.hl7.fhir.r4.model.IdType("Patient", context.patient()), new ca.uhn.fhir.rest.api.server.SystemRequestDetails());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("needPatientBanner", context.needPatientBanner());
    body.put("name", p.getNameFirstRep().getNameAsSingleString());
    body.put("birthDate", p.hasBirthDate() ? p.getBirthDateElement().getValueAsString() : null);
    body.put("gender", p.hasGender() ? p.getGender().toCode() : null);
    body.put("mrn", p.getIdentifier().stream().filter(i -> i.getType().getCoding().stream().anyMatch(c -> "MR".equals(c.getCode()))
        || (i.getSystem() != null && i.getSystem().contains("mrn"))).map(org.hl7.fhir.r4.model.Identifier::getValue).findFirst().orElse(null));
    return ResponseEntity.ok().header("Cache-Control", "no-store").body(body);
  }

  /** Live presence of the visit (server-sent events): a snapshot now and one after every change. */
  @org.springframework.web.bind.annotation.GetMapping(value = "/api/console/visit/presence", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  org.springframework.web.servlet.mvc.method.annotation.SseEmitter presence(HttpServletRequest request) {
    return presence.open(VisitWorkflow.roomKey(visit(request).appointment()));
  }

  record Admit(String participant, String role, String display) {}

  @PostMapping(value = "/api/console/visit/start", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> start(HttpServletRequest request) {
    Visit v = visit(request);
    VisitWorkflow.Started started = workflow.start(v.appointment(), v.practitioner(), null);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("encounter", started.encounter());
    body.put("join", join(started.join()));
    return ResponseEntity.ok().header("Cache-Control", "no-store").body(body);
  }

  @PostMapping(value = "/api/console/visit/admit", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> admit(@RequestBody Admit admit, HttpServletRequest request) {
    Visit v = visit(request);
    workflow.admit(v.appointment(), admit.participant(), admit.role() != null ? admit.role() : "patient",
        admit.display() != null ? admit.display() : "Patient", v.practitioner());
    return ResponseEntity.ok(Map.of("admitted", admit.participant()));
  }

  /** "Copy the patient's link": a new personal link, for the clinician to pass on. */
  @PostMapping(value = "/api/console/visit/patient-link", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> patientLink(HttpServletRequest request) {
    Visit v = visit(request);
    return ResponseEntity.ok().header("Cache-Control", "no-store")
        .body(Map.of("link", workflow.patientLink(v.appointment(), v.practitioner(), linkIssuer.getObject())));
  }

  @PostMapping(value = "/api/console/visit/cancel", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> cancel(HttpServletRequest request) {
    Visit v = visit(request);
    workflow.cancel(v.appointment(), v.practitioner());
    return ResponseEntity.ok(Map.of("appointment", v.appointment(), "status", "cancelled"));
  }

  @PostMapping(value = "/api/console/visit/end", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> end(HttpServletRequest request) {
    Visit v = visit(request);
    return ResponseEntity.ok(Map.of("encounter", workflow.end(v.appointment(), v.practitioner())));
  }

  record Visit(String appointment, String practitioner) {}

  private Visit visit(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    LaunchContext context = session == null ? null : (LaunchContext) session.getAttribute(LaunchController.CONTEXT);
    if (context == null) {
      throw new Unauthenticated();
    }
    if (!urls.isAudience(context.issuer().fhirBase().toString())) {
      throw new VisitWorkflow.VisitRefused("Visits launched from another EHR cannot be run yet: this build records visits"
          + " in Televisit's own FHIR store only.");
    }
    String prefix = urls.fhirBase() + "/";
    String user = context.fhirUser() == null ? null : context.fhirUser().toString();
    if (user == null || !user.startsWith(prefix)) {
      throw new VisitWorkflow.VisitRefused("The EHR did not say who you are.");
    }
    String practitioner = user.substring(prefix.length());
    String appointment = context.fhirContext().stream().filter(r -> r.startsWith("Appointment/")).findFirst()
        .or(() -> context.patient() == null ? java.util.Optional.empty()
            : workflow.todaysVisit("Patient/" + context.patient(), practitioner, java.time.ZoneId.systemDefault()))
        .orElseThrow(() -> new VisitWorkflow.VisitRefused(
            "There is no visit today for this patient with you, and the EHR did not name an appointment."));
    return new Visit(appointment, practitioner);
  }

  public static Map<String, Object> join(JoinData join) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("janusUrl", join.janusUrl());
    body.put("room", join.room());
    body.put("pin", join.pin());
    body.put("token", join.token());
    body.put("feedId", join.feedId());
    body.put("opaqueId", join.opaqueId());
    body.put("display", join.display());
    body.put("role", join.role());
    return body;
  }

  static final class Unauthenticated extends RuntimeException {}

  @ExceptionHandler(Unauthenticated.class)
  ResponseEntity<Map<String, Object>> unauthenticated() {
    return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("message", "No visit is open in this browser. Launch Televisit from the EHR."));
  }

  @ExceptionHandler(VisitWorkflow.VisitRefused.class)
  ResponseEntity<Map<String, Object>> refused(VisitWorkflow.VisitRefused e) {
    return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("message", e.getMessage()));
  }

  @ExceptionHandler(VisitWorkflow.NotAParticipant.class)
  ResponseEntity<Map<String, Object>> notYours(VisitWorkflow.NotAParticipant e) {
    return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("message", e.getMessage()));
  }

  @ExceptionHandler(VideoUnavailable.class)
  ResponseEntity<Map<String, Object>> noVideo(VideoUnavailable e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("message", "Video unavailable: " + e.getMessage()));
  }

}
