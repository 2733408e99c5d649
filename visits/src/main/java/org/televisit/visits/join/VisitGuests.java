package org.televisit.visits.join;

import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.televisit.fhir.Appointments;
import org.televisit.visits.visit.VisitWorkflow;
import org.televisit.visits.visit.VisitWorkflow.VisitRefused;

/**
 * The people a clinician brings into a visit besides themselves: the patient's link (copied or
 * e-mailed again) and invited guests (an interpreter, a family member, a second clinician), each
 * with their own link, role and name, kept on the FHIR Appointment as participants.
 */
@Service
public class VisitGuests {

  /** Identifies an invited guest among an Appointment's participants (an opaque key, no PHI). */
  public static final String GUESTS = "urn:televisit:guest";

  private final VisitWorkflow workflow;
  private final ObjectProvider<JoinLinkIssuer> issuer;

  VisitGuests(VisitWorkflow workflow, ObjectProvider<JoinLinkIssuer> issuer) {
    this.workflow = workflow;
    this.issuer = issuer;
  }

  /**
   * A fresh join link for the visit's patient, for the clinician to copy (sandbox and phone calls).
   */
  public String patientLink(String appointmentRef, String practitionerRef) {
    Appointment a = workflow.visitFor(appointmentRef, practitionerRef);
    String patient = Appointments.patient(a).orElse(null);
    if (patient == null) {
      throw new VisitRefused("This visit has no patient to send a link to.");
    }
    return workflow.inTransaction(
        () -> {
          try {
            return issuer.getObject().issueOne(a, patient, "patient", null);
          } catch (IllegalStateException e) {
            throw new VisitRefused(
                "This visit is " + a.getStatus().toCode() + ": it has no join link.");
          }
        });
  }

  /**
   * "Send again": fresh links e-mailed to the visit's patient; returns how many e-mails were
   * queued.
   */
  public int sendLinksAgain(String appointmentRef, String practitionerRef) {
    Appointment a = workflow.visitFor(appointmentRef, practitionerRef);
    return workflow.inTransaction(
        () -> {
          if (!Appointments.LINKED.contains(a.getStatus())) {
            throw new VisitRefused(
                "This visit is " + a.getStatus().toCode() + ": it has no join link.");
          }
          return issuer.getObject().issueLinks(a, null);
        });
  }

  /**
   * Invites a guest with their own link and role (e-mailed if an address is given); returns the
   * link.
   */
  public String invite(
      String appointmentRef,
      String practitionerRef,
      JoinLinkIssuer.GuestRole role,
      String name,
      String email) {
    Appointment a = workflow.visitFor(appointmentRef, practitionerRef);
    return workflow.inTransaction(
        () -> {
          JoinLinkIssuer.Invited invited;
          try {
            invited = issuer.getObject().invite(a, role, name, email, null);
          } catch (IllegalStateException e) {
            throw new VisitRefused(
                "This visit is " + a.getStatus().toCode() + ": nobody can be invited to it.");
          }
          // On the Appointment too, so the record says who took part; the actor is no FHIR
          // resource of ours, so a name and the guest's opaque key.
          Appointment visit = workflow.visitFor(appointmentRef, practitionerRef);
          visit
              .addParticipant()
              .addType(role.participantType())
              .setActor(
                  new Reference()
                      .setDisplay(name)
                      .setIdentifier(new Identifier().setSystem(GUESTS).setValue(invited.guest())))
              .setRequired(Appointment.ParticipantRequired.INFORMATIONONLY)
              .setStatus(Appointment.ParticipationStatus.ACCEPTED);
          workflow.recordChange(visit, practitionerRef, "guest invited (" + role.code() + ")");
          return invited.link();
        });
  }

  /**
   * A removed guest stays on the Appointment as declined: the record keeps that they were invited.
   */
  public void removeGuest(String appointmentRef, String guest, String practitionerRef) {
    workflow.removeFromVideo(appointmentRef, guest, practitionerRef);
    workflow.inTransaction(
        () -> {
          Appointment visit = workflow.visitFor(appointmentRef, practitionerRef);
          boolean changed = false;
          for (Appointment.AppointmentParticipantComponent p : visit.getParticipant()) {
            if (GUESTS.equals(p.getActor().getIdentifier().getSystem())
                && guest.equals(p.getActor().getIdentifier().getValue())
                && p.getStatus() != Appointment.ParticipationStatus.DECLINED) {
              p.setStatus(Appointment.ParticipationStatus.DECLINED);
              changed = true;
            }
          }
          if (changed) {
            workflow.recordChange(visit, practitionerRef, "guest removed");
          }
          return null;
        });
  }
}
