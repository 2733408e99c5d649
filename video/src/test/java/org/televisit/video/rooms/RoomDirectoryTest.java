package org.televisit.video.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.televisit.video.support.TestDatabase;

/** The directory's SQL on both databases Televisit runs on (H2 is the embedded default). */
class RoomDirectoryTest {

  static TestDatabase postgres;
  static JdbcDataSource h2;

  @BeforeAll
  static void databases() throws Exception {
    postgres = new TestDatabase();
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    h2.setUser("sa");
    try (Connection c = h2.getConnection()) {
      Database db =
          DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
      db.setDatabaseChangeLogTableName("televisit_changelog");
      db.setDatabaseChangeLogLockTableName("televisit_changelog_lock");
      new Liquibase("db/televisit/changelog.xml", new ClassLoaderResourceAccessor(), db).update("");
    }
  }

  @AfterAll
  static void drop() throws Exception {
    postgres.close();
  }

  DataSource dataSource(String which) {
    return which.equals("h2") ? h2 : postgres.dataSource();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void claimReadmitAndLookUp(String which) {
    RoomDirectory directory = new RoomDirectory(dataSource(which), TestDatabase.SEAL);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    VideoRoom room = new VideoRoom("visit-" + which, "n1", 42, "secret", "pin", now);
    assertThat(directory.claim(room, () -> {})).isTrue();
    assertThat(directory.claim(room, () -> {})).as("a second claim finds the first").isFalse();
    assertThat(directory.find(room.visitKey()))
        .hasValueSatisfying(
            r -> {
              assertThat(r.secret()).isEqualTo("secret");
              assertThat(r.pin()).isEqualTo("pin");
            });

    assertThat(directory.roomAndAdmission(room.visitKey(), "p1"))
        .hasValueSatisfying(ra -> assertThat(ra.admission()).isEmpty());
    directory.readmit(
        new Admission(
            room.visitKey(), "p1", "patient", "Patient", "token-1", 7, "op-1-" + which, now, null));
    directory.revoked(room.visitKey(), "p1");
    directory.readmit(
        new Admission(
            room.visitKey(), "p1", "patient", "Patient", "token-2", 8, "op-2-" + which, now, null));

    assertThat(directory.admissions(room.visitKey()))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.janusToken()).isEqualTo("token-2");
              assertThat(a.feedId()).isEqualTo(8);
              assertThat(a.revoked()).as("a rejoin clears the revocation").isFalse();
            });
    assertThat(directory.roomAndAdmission(room.visitKey(), "p1"))
        .hasValueSatisfying(
            ra -> {
              assertThat(ra.room().janusRoom()).isEqualTo(42);
              assertThat(ra.admission())
                  .hasValueSatisfying(a -> assertThat(a.opaqueId()).isEqualTo("op-2-" + which));
            });
    assertThat(directory.byRoomAndFeed(42, 8)).isPresent();
    assertThat(directory.byOpaqueId("op-1-" + which)).isEmpty();

    VideoRoom moved =
        directory
            .moveIfStill(
                room,
                current ->
                    new VideoRoom(
                        current.visitKey(),
                        "n2",
                        43,
                        current.secret(),
                        current.pin(),
                        current.createdAt()))
            .orElseThrow();
    assertThat(moved.nodeId()).isEqualTo("n2");
    assertThat(
            directory.moveIfStill(
                room,
                current -> {
                  throw new AssertionError("already moved");
                }))
        .hasValueSatisfying(r -> assertThat(r.janusRoom()).isEqualTo(43));
    directory.delete(room.visitKey());
    assertThat(directory.admissions(room.visitKey())).as("admissions go with the room").isEmpty();
  }
}
