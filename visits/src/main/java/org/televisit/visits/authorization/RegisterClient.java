package org.televisit.visits.authorization;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.televisit.smart.server.ClientRegistry;
import org.televisit.smart.server.ClientType;

/**
 * The operator's command that registers a SMART app with Televisit's authorization server ({@code
 * ./televisit register-client ...}). It needs only the database (same TELEVISIT_DB_* settings as
 * the app; on the embedded H2 file, run it while Televisit is stopped) and prints a generated
 * client secret exactly once.
 */
public final class RegisterClient {

  static final String USAGE =
      """
      usage: ./televisit register-client --id ID --name NAME --type public|symmetric|asymmetric
               --redirect-uri URI [--redirect-uri URI ...] --scopes "SCOPES"
               [--jwks-url URL | --jwks-file FILE] [--launch-url URL]
      """;

  public static void main(String[] args) {
    int status = run(args, System.getenv(), System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      ClientRegistry.Registration registration = parse(args);
      DataSource dataSource = dataSource(env);
      migrate(dataSource);
      ClientRegistry.Registered registered =
          new ClientRegistry(dataSource, Clock.systemUTC()).register(registration);
      out.println(
          "registered " + registered.client().clientId() + " (" + registered.client().type() + ")");
      registered
          .secret()
          .ifPresent(
              secret ->
                  out.println(
                      "client secret (shown once, store it in the app's configuration): "
                          + secret));
      return 0;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (Exception e) {
      err.println("registration failed: " + e.getMessage());
      return 1;
    }
  }

  static ClientRegistry.Registration parse(String[] args) throws Exception {
    String id = null;
    String name = null;
    String type = null;
    String scopes = null;
    String jwks = null;
    URI jwksUrl = null;
    URI launchUrl = null;
    List<URI> redirects = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--id" -> id = value;
        case "--name" -> name = value;
        case "--type" -> type = value;
        case "--scopes" -> scopes = value;
        case "--redirect-uri" -> redirects.add(URI.create(value));
        case "--jwks-url" -> jwksUrl = URI.create(value);
        case "--jwks-file" -> jwks = Files.readString(Path.of(value));
        case "--launch-url" -> launchUrl = URI.create(value);
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    if (id == null || type == null || scopes == null || redirects.isEmpty()) {
      throw new IllegalArgumentException("--id, --type, --redirect-uri and --scopes are required");
    }
    ClientType clientType =
        switch (type) {
          case "public" -> ClientType.PUBLIC;
          case "symmetric" -> ClientType.CONFIDENTIAL_SYMMETRIC;
          case "asymmetric" -> ClientType.CONFIDENTIAL_ASYMMETRIC;
          default ->
              throw new IllegalArgumentException("--type is public, symmetric or asymmetric");
        };
    return new ClientRegistry.Registration(
        id, name != null ? name : id, clientType, jwksUrl, jwks, redirects, scopes, launchUrl);
  }

  static DataSource dataSource(Map<String, String> env) {
    String dataDir = env.getOrDefault("TELEVISIT_DATA_DIR", "./data");
    String url =
        env.getOrDefault(
            "TELEVISIT_DB_URL", "jdbc:h2:file:" + dataDir + "/televisit;DB_CLOSE_ON_EXIT=FALSE");
    return new DriverManagerDataSource(
        url,
        env.getOrDefault("TELEVISIT_DB_USER", "sa"),
        env.getOrDefault("TELEVISIT_DB_PASSWORD", ""));
  }

  /**
   * The same changelog the app applies at start-up, so the command works on a fresh database too.
   */
  static void migrate(DataSource dataSource) throws Exception {
    try (Connection c = dataSource.getConnection()) {
      Database db =
          DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
      db.setDatabaseChangeLogTableName("televisit_changelog");
      db.setDatabaseChangeLogLockTableName("televisit_changelog_lock");
      try (Liquibase liquibase =
          new Liquibase("db/televisit/changelog.xml", new ClassLoaderResourceAccessor(), db)) {
        liquibase.update("");
      }
    }
  }

  private RegisterClient() {}
}
