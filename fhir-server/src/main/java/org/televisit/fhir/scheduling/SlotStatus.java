package org.televisit.fhir.scheduling;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Slot;

/**
 * Keeps each Slot's status in step with the Appointment that takes it, in the same transaction:
 * busy-tentative while held (pending), busy once booked, free again when cancelled or moved off it.
 */
public class SlotStatus {

  private final DaoRegistry daos;

  public SlotStatus(DaoRegistry daos) {
    this.daos = daos;
  }

  /**
   * Sets the Slots of {@code after} to follow its status, and frees those {@code before} held that
   * it no longer does.
   */
  public void apply(Appointment before, Appointment after) {
    Slot.SlotStatus wanted =
        switch (after.getStatus()) {
          case PENDING -> Slot.SlotStatus.BUSYTENTATIVE;
          case BOOKED, ARRIVED, CHECKEDIN, FULFILLED -> Slot.SlotStatus.BUSY;
          default -> Slot.SlotStatus.FREE;
        };
    Set<String> now = slots(after);
    for (String slot : now) {
      set(slot, wanted);
    }
    if (before != null) {
      for (String slot : slots(before)) {
        if (!now.contains(slot)) {
          set(slot, Slot.SlotStatus.FREE);
        }
      }
    }
  }

  private void set(String reference, Slot.SlotStatus status) {
    try {
      Slot slot =
          (Slot)
              daos.getResourceDao("Slot").read(new IdType(reference), new SystemRequestDetails());
      if (slot.getStatus() != status) {
        slot.setStatus(status);
        daos.getResourceDao("Slot").update(slot, new SystemRequestDetails());
      }
    } catch (ResourceNotFoundException e) {
      // a slot of another system: nothing of ours to keep in step
    }
  }

  private static Set<String> slots(Appointment a) {
    Set<String> out = new HashSet<>();
    for (Reference r : a.getSlot()) {
      if (r.getReferenceElement().getIdPart() != null) {
        out.add("Slot/" + r.getReferenceElement().getIdPart());
      }
    }
    return out;
  }
}
