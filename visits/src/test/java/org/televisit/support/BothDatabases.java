package org.televisit.support;

import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import liquibase.integration.spring.SpringLiquibase;
import org.junit.jupiter.params.provider.Arguments;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The two databases Televisit runs on, migrated by its own changelog: H2 (the embedded default,
 * what `./televisit run` uses) and PostgreSQL (production). Every test of SQL that Televisit writes
 * itself takes its DataSource from {@link #both()}, so a statement that works on one and not the
 * other fails here first, not in a user's waiting room.
 *
 * <pre>{@code @ParameterizedTest @MethodSource("org.televisit.support.BothDatabases#both")}</pre>
 */
public final class BothDatabases {

  private static DataSource postgres;

  private BothDatabases() {}

  /**
   * A fresh H2 database (file mode, as in the embedded default) and the shared PostgreSQL test
   * database.
   */
  public static Stream<Arguments> both() {
    return Stream.of(Arguments.of(Named.H2, h2()), Arguments.of(Named.POSTGRESQL, postgres()));
  }

  public enum Named {
    H2,
    POSTGRESQL
  }

  /** An H2 database of its own, in the same mode as the embedded default's (a file, not memory). */
  public static DataSource h2() {
    String dir = System.getProperty("java.io.tmpdir") + "/televisit-h2-" + UUID.randomUUID();
    return migrated(
        new DriverManagerDataSource(
            "jdbc:h2:file:" + dir + "/televisit;DB_CLOSE_ON_EXIT=FALSE", "sa", ""));
  }

  /** One PostgreSQL database for these tests, created afresh once per test JVM. */
  public static synchronized DataSource postgres() {
    if (postgres == null) {
      PostgresTestDatabase.recreate("televisit_sql");
      String admin = PostgresTestDatabase.ADMIN_URL;
      postgres =
          migrated(
              new DriverManagerDataSource(
                  admin.substring(0, admin.lastIndexOf('/') + 1) + "televisit_sql",
                  PostgresTestDatabase.USER,
                  PostgresTestDatabase.PASSWORD));
    }
    return postgres;
  }

  private static DataSource migrated(DataSource dataSource) {
    try {
      SpringLiquibase liquibase = new SpringLiquibase();
      liquibase.setDataSource(dataSource);
      liquibase.setChangeLog("classpath:db/televisit/changelog.xml");
      liquibase.setDatabaseChangeLogTable("televisit_changelog");
      liquibase.setDatabaseChangeLogLockTable("televisit_changelog_lock");
      liquibase.setResourceLoader(new DefaultResourceLoader());
      liquibase.afterPropertiesSet();
      return dataSource;
    } catch (Exception e) {
      throw new IllegalStateException("could not migrate " + dataSource, e);
    }
  }
}
