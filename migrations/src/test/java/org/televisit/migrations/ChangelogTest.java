package org.televisit.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.FastCheckService;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The changelog on both databases Televisit runs on: applied to an empty database, applied again as
 * a no-op, and the latest changeset rolled back and re-applied. PostgreSQL is the real server on
 * 127.0.0.1:5432 (TELEVISIT_TEST_PG_URL overrides); each run uses a database of its own.
 */
class ChangelogTest {

  static final String CHANGELOG = "db/televisit/changelog.xml";
  static final String PG_ADMIN_URL =
      System.getenv()
          .getOrDefault("TELEVISIT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
  static final String PG_USER = System.getenv().getOrDefault("TELEVISIT_TEST_PG_USER", "postgres");
  static final String PG_PASSWORD = System.getenv().getOrDefault("TELEVISIT_TEST_PG_PASSWORD", "");
  static final String PG_DB =
      "televisit_migrations_" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void createPostgresDatabase() throws SQLException {
    try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, PG_PASSWORD);
        Statement st = admin.createStatement()) {
      st.execute("CREATE DATABASE " + PG_DB);
    }
  }

  @AfterAll
  static void dropPostgresDatabase() throws SQLException {
    try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, PG_PASSWORD);
        Statement st = admin.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + PG_DB + " WITH (FORCE)");
    }
  }

  @Test
  void appliesRepeatsAndRollsBackOnH2() throws Exception {
    String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    exercise(() -> DriverManager.getConnection(url, "sa", ""));
  }

  @Test
  void appliesRepeatsAndRollsBackOnPostgres() throws Exception {
    String url = PG_ADMIN_URL.substring(0, PG_ADMIN_URL.lastIndexOf('/') + 1) + PG_DB;
    exercise(() -> DriverManager.getConnection(url, PG_USER, PG_PASSWORD));
  }

  interface Connector {
    Connection open() throws SQLException;
  }

  /** Each step is its own Liquibase run on its own connection, as an operator's runs would be. */
  private void exercise(Connector db) throws Exception {
    List<ChangeSet> all = run(db, lb -> lb.getDatabaseChangeLog().getChangeSets());
    assertThat(all).isNotEmpty();
    ChangeSet latest = all.get(all.size() - 1);

    run(
        db,
        lb -> {
          lb.update("");
          return null;
        });
    try (Connection c = db.open()) {
      assertThat(ranIds(c)).hasSize(all.size());
      assertThat(schemaExists(c)).isTrue();
    }
    List<ChangeSet> unrun = run(db, lb -> lb.listUnrunChangeSets(null, null));
    assertThat(unrun).isEmpty();

    run(
        db,
        lb -> {
          lb.update("");
          return null;
        });
    try (Connection c = db.open()) {
      assertThat(ranIds(c)).as("a second update is a no-op").hasSize(all.size());
    }

    run(
        db,
        lb -> {
          lb.rollback(1, "");
          return null;
        });
    try (Connection c = db.open()) {
      assertThat(ranIds(c)).hasSize(all.size() - 1).doesNotContain(latest.getId());
      assertLatestUndone(c, latest);
    }

    run(
        db,
        lb -> {
          lb.update("");
          return null;
        });
    try (Connection c = db.open()) {
      assertThat(ranIds(c)).hasSize(all.size()).contains(latest.getId());
    }
  }

  interface Step<T> {
    T apply(Liquibase liquibase) throws Exception;
  }

  private static <T> T run(Connector db, Step<T> step) throws Exception {
    // Liquibase caches history per database URL for the JVM's life; separate runs must not share
    // it.
    Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).resetAll();
    Scope.getCurrentScope().getSingleton(FastCheckService.class).clearCache();
    try (Connection connection = db.open()) {
      Database database =
          DatabaseFactory.getInstance()
              .findCorrectDatabaseImplementation(new JdbcConnection(connection));
      database.setDatabaseChangeLogTableName("televisit_changelog");
      database.setDatabaseChangeLogLockTableName("televisit_changelog_lock");
      try (Liquibase liquibase =
          new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database)) {
        return step.apply(liquibase);
      }
    }
  }

  /** What the rollback of the latest changeset must leave: its objects gone. */
  private void assertLatestUndone(Connection connection, ChangeSet latest) throws SQLException {
    if (latest.getId().equals("001-schema")) {
      assertThat(schemaExists(connection)).as("rollback of 001 drops the schema").isFalse();
    } else {
      assertThat(LatestChangeset.undone(connection))
          .as("rollback of " + latest.getId() + " undone")
          .isTrue();
    }
  }

  /** Read from the table itself: Liquibase caches its own view of the history. */
  private static List<String> ranIds(Connection connection) throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT id FROM televisit_changelog ORDER BY orderexecuted")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  static boolean schemaExists(Connection connection) throws SQLException {
    try (ResultSet rs = connection.getMetaData().getSchemas()) {
      while (rs.next()) {
        if (rs.getString("TABLE_SCHEM").equalsIgnoreCase("televisit")) {
          return true;
        }
      }
    }
    return false;
  }
}
