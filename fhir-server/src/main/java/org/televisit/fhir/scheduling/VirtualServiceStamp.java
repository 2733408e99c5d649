package org.televisit.fhir.scheduling;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.UrlType;
import org.televisit.fhir.Appointments;

/**
 * Marks a booked visit as virtual with the R5 virtualService cross-version extension, its parts
 * named and typed as R5's VirtualServiceDetail: channelType (Coding: Televisit), address (url: a
 * generic visit page; each participant's own link is sent to them alone and never stored in a
 * resource others can read) and maxParticipants (positiveInt: the room's size). Added when missing.
 */
@Interceptor
public class VirtualServiceStamp {

  public static final String URL =
      "http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.virtualService";
  public static final String CHANNEL_SYSTEM = "urn:televisit:virtual-service";

  private final String visitAddress;
  private final int maxParticipants;

  public VirtualServiceStamp(String visitAddress, int maxParticipants) {
    this.visitAddress = visitAddress;
    this.maxParticipants = maxParticipants;
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void created(IBaseResource resource) {
    stamp(resource);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource resource) {
    stamp(resource);
  }

  void stamp(IBaseResource resource) {
    if (!(resource instanceof Appointment a)
        || !Appointments.HOLDS_TIME.contains(a.getStatus())
        || a.hasExtension(URL)) {
      return;
    }
    Extension service = a.addExtension().setUrl(URL);
    service.addExtension(
        "channelType", new Coding(CHANNEL_SYSTEM, "televisit", "Televisit video visit"));
    service.addExtension("address", new UrlType(visitAddress));
    service.addExtension("maxParticipants", new PositiveIntType(maxParticipants));
  }
}
