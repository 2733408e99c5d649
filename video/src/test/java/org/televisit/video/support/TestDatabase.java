package org.televisit.video.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.postgresql.ds.PGSimpleDataSource;

/** A throw-away PostgreSQL database with Televisit's schema applied by the real changelog. */
public final class TestDatabase implements AutoCloseable {

  /** A fixed key for tests; production keys come from configuration. */
  public static final org.televisit.video.rooms.SecretSeal SEAL =
      new org.televisit.video.rooms.SecretSeal("k8Qb3p4y0m2Zr6Lw9Xc1Vt5Jn7Hd2Fs4Ga6Ke8Mu0Ow");

  static final String ADMIN_URL =
      System.getenv()
          .getOrDefault("TELEVISIT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
  static final String USER = System.getenv().getOrDefault("TELEVISIT_TEST_PG_USER", "postgres");
  static final String PASSWORD = System.getenv().getOrDefault("TELEVISIT_TEST_PG_PASSWORD", "");

  private final String name = "televisit_video_" + UUID.randomUUID().toString().substring(0, 8);
  private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

  public TestDatabase() throws Exception {
    try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
        Statement st = admin.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    dataSource.setURL(ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name);
    dataSource.setUser(USER);
    dataSource.setPassword(PASSWORD);
    try (Connection c = dataSource.getConnection()) {
      Database db =
          DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
      db.setDatabaseChangeLogTableName("televisit_changelog");
      db.setDatabaseChangeLogLockTableName("televisit_changelog_lock");
      try (Liquibase lb =
          new Liquibase("db/televisit/changelog.xml", new ClassLoaderResourceAccessor(), db)) {
        lb.update("");
      }
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() throws Exception {
    try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
        Statement st = admin.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }
}
