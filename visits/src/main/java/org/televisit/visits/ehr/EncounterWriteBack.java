package org.televisit.visits.ehr;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.televisit.smart.launch.IssuerRegistry;
import org.televisit.smart.launch.LaunchContext;
import org.televisit.smart.launch.LaunchFlow;
import org.televisit.smart.scopes.Scopes;
import org.televisit.smart.server.ServerUrls;
import org.televisit.visits.audit.VisitAudit;
import org.televisit.visits.notify.Outbox;
import org.televisit.visits.notify.OutboxChannel;
import org.televisit.visits.visit.VisitWorkflow;

/**
 * Writes the visit's Encounter back to the EHR that launched it, where the hospital allowed it for
 * that EHR and the EHR granted Encounter create and update. Every change of the Encounter in
 * Televisit's store queues one outbox message in the same transaction, so nothing is lost when the
 * EHR is down: the outbox retries with back-off. Delivery is idempotent: the EHR's own Encounter
 * from the launch is updated; without one, Televisit's Encounter is created there once (found again
 * by Televisit's identifier) and updated afterwards.
 */
@Component
public class EncounterWriteBack implements OutboxChannel {

  static final String CHANNEL = "ehr-encounter";

  private final EhrVisits visits;
  private final Outbox outbox;
  private final LaunchFlow flow;
  private final IssuerRegistry issuers;
  private final ServerUrls urls;
  private final VisitAudit audit;

  EncounterWriteBack(
      EhrVisits visits,
      Outbox outbox,
      LaunchFlow flow,
      IssuerRegistry issuers,
      ServerUrls urls,
      VisitAudit audit) {
    this.visits = visits;
    this.outbox = outbox;
    this.flow = flow;
    this.issuers = issuers;
    this.urls = urls;
    this.audit = audit;
  }

  @Override
  public String name() {
    return CHANNEL;
  }

  @EventListener
  void encounterWritten(VisitWorkflow.EncounterWritten written) {
    visits
        .writtenBackFor(written.appointment())
        .ifPresent(
            ehrPatient -> {
              Encounter e = written.encounter();
              Map<String, Object> payload = new LinkedHashMap<>();
              payload.put("encounter", written.encounterRef());
              payload.put("status", e.getStatus().toCode());
              payload.put(
                  "start",
                  e.getPeriod().hasStart()
                      ? e.getPeriod().getStart().toInstant().toString()
                      : null);
              payload.put(
                  "end",
                  e.getPeriod().hasEnd() ? e.getPeriod().getEnd().toInstant().toString() : null);
              outbox.enqueue(
                  CHANNEL,
                  written.appointment(),
                  "Patient/" + ehrPatient,
                  JSONObjectUtils.toJSONString(payload));
            });
  }

  /**
   * Delivers one change; a refusal no retry can change (the EHR's 4xx other than a conflict or a
   * rate limit, or tokens that lapsed with no refresh token) makes the outbox give the message up
   * instead of retrying it every hour for ever.
   */
  @Override
  public void deliver(Outbox.Message message) throws Exception {
    EhrVisits.Link link =
        visits
            .link(message.appointment())
            .orElseThrow(
                () -> new Outbox.Undeliverable("the visit is no longer linked to an EHR", null));
    try {
      write(message, link);
    } catch (EhrFhir.EhrCallFailed e) {
      if (isFinal(e.status, link.refreshToken() != null)) {
        throw new Outbox.Undeliverable("the EHR refused the Encounter: " + e.getMessage(), e);
      }
      throw e;
    }
  }

  /**
   * A 4xx but a timeout, a version conflict or a rate limit; a 401 only when there is no refresh
   * token (with one, a later try refreshes the access token as it nears its end).
   */
  static boolean isFinal(int status, boolean canRefresh) {
    return status >= 400
        && status < 500
        && status != 408
        && status != 409
        && status != 412
        && status != 429
        && !(status == 401 && canRefresh);
  }

  private void write(Outbox.Message message, EhrVisits.Link link) throws Exception {
    String token = freshToken(link);
    Map<String, Object> change = JSONObjectUtils.parse(message.payload());
    String ours = (String) change.get("encounter");
    Identifier televisitId =
        new Identifier()
            .setSystem(urls.fhirBase() + "/Encounter")
            .setValue(ours.substring(ours.indexOf('/') + 1));
    Encounter target;
    if (link.ehrEncounter() != null) {
      target = visits.ehr.read(link.issuer(), token, Encounter.class, link.ehrEncounter());
    } else {
      IBaseResource found =
          visits
              .ehr
              .findByIdentifier(
                  link.issuer(),
                  token,
                  "Encounter",
                  televisitId.getSystem(),
                  televisitId.getValue())
              .orElse(null);
      target = found != null ? (Encounter) found : new Encounter();
    }
    apply(change, link, televisitId, target);
    if (target.getIdElement().hasIdPart()) {
      visits.ehr.update(link.issuer(), token, target);
    } else {
      visits.ehr.create(
          link.issuer(),
          token,
          target,
          "identifier=" + televisitId.getSystem() + "|" + televisitId.getValue());
    }
    audit.record(
        "ehr-write-back",
        true,
        message.appointment(),
        null,
        null,
        "Encounter " + change.get("status") + " written to the EHR");
  }

  /**
   * The EHR's Encounter with the visit's facts: status, class VR, period, subject, participant,
   * appointment.
   */
  private static void apply(
      Map<String, Object> change, EhrVisits.Link link, Identifier televisitId, Encounter target) {
    target.setStatus(Encounter.EncounterStatus.fromCode((String) change.get("status")));
    target.setClass_(
        new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR", "virtual"));
    if (!target.hasSubject()) {
      target.setSubject(new Reference("Patient/" + link.ehrPatient()));
    }
    if (target.getIdentifier().stream()
        .noneMatch(i -> televisitId.getSystem().equals(i.getSystem()))) {
      target.addIdentifier(televisitId);
    }
    if (link.ehrUser() != null) {
      String user = relative(link.ehrUser());
      if (target.getParticipant().stream()
          .noneMatch(
              p ->
                  user.equals(p.getIndividual().getReference())
                      || link.ehrUser().equals(p.getIndividual().getReference()))) {
        target.addParticipant().setIndividual(new Reference(user));
      }
    }
    if (link.ehrAppointment() != null
        && target.getAppointment().stream()
            .noneMatch(r -> ("Appointment/" + link.ehrAppointment()).equals(r.getReference()))) {
      target.addAppointment(new Reference("Appointment/" + link.ehrAppointment()));
    }
    Period period = target.getPeriod();
    if (change.get("start") != null) {
      period.setStart(Date.from(Instant.parse((String) change.get("start"))));
    }
    if (change.get("end") != null) {
      period.setEnd(Date.from(Instant.parse((String) change.get("end"))));
    }
  }

  /**
   * https://ehr/fhir/Practitioner/1 -> Practitioner/1 (a reference within the EHR's own server).
   */
  private static String relative(String url) {
    String[] parts = url.split("/");
    return parts.length < 2 ? url : parts[parts.length - 2] + "/" + parts[parts.length - 1];
  }

  /**
   * The stored access token, refreshed (and the new tokens kept) when it is about to lapse and can
   * be.
   */
  private String freshToken(EhrVisits.Link link) {
    var issuer =
        issuers
            .find(link.issuer())
            .orElseThrow(
                () ->
                    new Outbox.Undeliverable(
                        "the EHR is no longer registered with Televisit", null));
    if (link.refreshToken() == null) {
      // nothing to refresh with: the token serves until it lapses, and then nothing will
      if (link.expiresAt() != null && !link.expiresAt().isAfter(Instant.now())) {
        throw new Outbox.Undeliverable(
            "the EHR's access token has lapsed and the EHR granted no refresh token", null);
      }
      return link.accessToken();
    }
    LaunchContext stored =
        new LaunchContext(
            issuer,
            link.accessToken(),
            link.refreshToken(),
            link.expiresAt(),
            Scopes.parse(""),
            link.ehrPatient(),
            link.ehrEncounter(),
            List.of(),
            false,
            null,
            null,
            null,
            null);
    LaunchContext fresh = flow.fresh(stored);
    if (!fresh.accessToken().equals(link.accessToken())) {
      visits.remember(
          link.withTokens(fresh.accessToken(), fresh.refreshToken(), fresh.accessTokenExpiresAt()));
    }
    return fresh.accessToken();
  }
}
