package org.televisit.fhir.rules;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * A request that failed because the database went away under it (a restart, a failover, a dropped
 * connection) is the server's outage, not a fault: 503 with a sentence and Retry-After, so a
 * scheduler retries, instead of a 500 that names Hibernate's exceptions. The pool replaces the dead
 * connections on its own, so the next request works once the database is back.
 */
@Interceptor
public final class DatabaseUnreachable {

  static final String SENTENCE =
      "The database could not be reached just now; please try again in a moment.";

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException toUnavailable(Throwable exception) {
    if (exception instanceof BaseServerResponseException answered
        && !(answered instanceof InternalErrorException)) {
      return null;
    }
    for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (isOutage(t)) {
        UnclassifiedServerFailureException unavailable =
            new UnclassifiedServerFailureException(503, SENTENCE);
        unavailable.addResponseHeader("Retry-After", "5");
        return unavailable;
      }
    }
    return null;
  }

  static boolean isOutage(Throwable t) {
    if (t instanceof SQLTransientConnectionException
        || t instanceof CannotCreateTransactionException
        || t instanceof DataAccessResourceFailureException
        || t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")
        // a commit or rollback that failed against the JDBC connection: the connection is gone
        || t.getClass().getName().equals("org.hibernate.TransactionException")) {
      return true;
    }
    // the pool's answer once it has closed a broken connection under a transaction (no SQLState)
    if (t instanceof SQLException sql && "Connection is closed".equals(sql.getMessage())) {
      return true;
    }
    // SQLState class 08: connection exception; 57P01-57P03: the server is shutting down or starting
    return t instanceof SQLException sql
        && sql.getSQLState() != null
        && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"));
  }
}
