package org.televisit.fhir;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The two databases Televisit runs on, told apart once from what the DataSource reaches (the video
 * module, which depends on nothing of ours, asks its own connection).
 */
public enum Database {
  H2("ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect"),
  POSTGRESQL("ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect");

  private final String hapiDialect;

  Database(String hapiDialect) {
    this.hapiDialect = hapiDialect;
  }

  /** HAPI's Hibernate dialect for this database. */
  public String hapiDialect() {
    return hapiDialect;
  }

  public static Database of(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      String product = connection.getMetaData().getDatabaseProductName();
      return switch (product) {
        case "PostgreSQL" -> POSTGRESQL;
        case "H2" -> H2;
        default ->
            throw new IllegalStateException(
                "Televisit runs on PostgreSQL or H2; the configured database is " + product);
      };
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot reach the configured database: " + e.getMessage(), e);
    }
  }
}
