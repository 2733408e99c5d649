package org.televisit.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Gives the test context a fresh database on the real PostgreSQL server (127.0.0.1:5432, user
 * postgres; TELEVISIT_TEST_PG_URL / _USER / _PASSWORD override). The database is dropped and
 * created once per test JVM, so every run starts from an empty store, as a first start would.
 */
public class PostgresTestDatabase
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  public static final String ADMIN_URL =
      System.getenv()
          .getOrDefault("TELEVISIT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
  public static final String USER =
      System.getenv().getOrDefault("TELEVISIT_TEST_PG_USER", "postgres");
  public static final String PASSWORD =
      System.getenv().getOrDefault("TELEVISIT_TEST_PG_PASSWORD", "");
  public static final String DATABASE = "televisit_it";

  private static String url;

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    TestPropertyValues.of(
            "spring.datasource.url=" + url(),
            "spring.datasource.username=" + USER,
            "spring.datasource.password=" + PASSWORD)
        .applyTo(context.getEnvironment());
  }

  public static synchronized String url() {
    if (url == null) {
      recreate(DATABASE);
      url = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + DATABASE;
    }
    return url;
  }

  public static void recreate(String database) {
    try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
        Statement st = admin.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      st.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "The integration tests need PostgreSQL at "
              + ADMIN_URL
              + " (user "
              + USER
              + "). "
              + "Run ./televisit test, which installs and starts it. Cause: "
              + e.getMessage(),
          e);
    }
  }
}
