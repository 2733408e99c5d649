package org.televisit.fhir.rules;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.delete.DeleteConflictOutcome;
import java.util.Set;

/**
 * A record of what happened (AuditEvent, Provenance, Communication) must not keep what it records
 * from being deleted; the record keeps its reference (HAPI's own referential-integrity setting for
 * paths applies only to delete-expunge).
 */
@Interceptor
public class RecordsDoNotBlockDeletes {

  static final Set<String> PATHS =
      Set.of(
          "AuditEvent.entity.what",
          "AuditEvent.agent.who",
          "Provenance.target",
          "Communication.about");

  @Hook(Pointcut.STORAGE_PRESTORAGE_DELETE_CONFLICTS)
  public DeleteConflictOutcome ignoreRecords(DeleteConflictList conflicts) {
    conflicts.removeIf(c -> PATHS.contains(c.getSourcePath()));
    return null;
  }
}
