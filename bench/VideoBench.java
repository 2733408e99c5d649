import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.postgresql.ds.PGSimpleDataSource;
import org.televisit.video.janus.JanusHttp;
import org.televisit.video.janus.JanusNode;
import org.televisit.video.local.LocalJanus;
import org.televisit.video.rooms.NodePool;
import org.televisit.video.rooms.RoomDirectory;
import org.televisit.video.rooms.VideoRooms;

/**
 * Video figures against real local Janus processes and a real PostgreSQL (run by bench/video.sh):
 * 1. ensureRoom + two admits vs the raw Janus HTTP calls they issue (create, 2x add_token, 2x allowed),
 *    interleaved in one run, one thread each.
 * 2. room ensures/s (new rooms) with 1 and 4 threads against one Janus.
 * 3. 300 rooms over 3 nodes of equal capacity; then a node killed and one of its rooms ensured again.
 * Loops are bounded by count; only 127.0.0.1 is contacted.
 */
public class VideoBench {

  static final MediaType JSON = MediaType.get("application/json");
  static final org.televisit.video.rooms.SecretSeal SEAL =
      new org.televisit.video.rooms.SecretSeal(java.util.Base64.getEncoder().encodeToString(new byte[32]));

  public static void main(String[] args) throws Exception {
    int visits = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    String adminUrl = System.getenv().getOrDefault("PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    String db = "televisit_videobench_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = DriverManager.getConnection(adminUrl, "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + db);
    ds.setUser("postgres");
    try (Connection c = ds.getConnection()) {
      Database d = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
      d.setDatabaseChangeLogTableName("televisit_changelog");
      d.setDatabaseChangeLogLockTableName("televisit_changelog_lock");
      new Liquibase("db/televisit/changelog.xml", new ClassLoaderResourceAccessor(), d).update("");
    }
    // A pooled DataSource, as the application has.
    com.zaxxer.hikari.HikariConfig hikari = new com.zaxxer.hikari.HikariConfig();
    hikari.setDataSource(ds);
    hikari.setMaximumPoolSize(8);
    com.zaxxer.hikari.HikariDataSource pooled = new com.zaxxer.hikari.HikariDataSource(hikari);

    List<LocalJanus> janus = new ArrayList<>();
    try {
      for (String id : List.of("n1", "n2", "n3")) {
        Path folder = Files.createTempDirectory("videobench-" + id);
        int rtp = 22000 + janus.size() * 300;
        janus.add(LocalJanus.start(new LocalJanus.Settings(id, folder, LocalJanus.freePort(), LocalJanus.freePort(),
            "admin-" + UUID.randomUUID(), "key-" + UUID.randomUUID(), rtp, rtp + 299, null, null, null, 60)));
      }
      JanusHttp http = JanusHttp.withDefaults();
      JanusNode one = janus.get(0).node("http://127.0.0.1", 1_000_000);

      // ---- 1. overhead: Televisit's ensure + 2 admits vs the same Janus calls, raw
      try (NodePool pool = new NodePool(List.of(one), http, Duration.ofSeconds(5), Duration.ofSeconds(30), Clock.systemUTC())) {
        VideoRooms rooms = new VideoRooms(pool, new RoomDirectory(pooled, SEAL), Clock.systemUTC(), 4);
        Raw raw = new Raw(one);
        for (int i = 0; i < 300; i++) { // warm-up
          visit(rooms, "warm-" + i);
          raw.visit(9_000_000L + i);
        }
        long tv = 0, rw = 0;
        for (int i = 0; i < visits; i++) {
          long t0 = System.nanoTime();
          visit(rooms, "v-" + i);
          long t1 = System.nanoTime();
          raw.visit(1_000_000L + i);
          long t2 = System.nanoTime();
          tv += t1 - t0;
          rw += t2 - t1;
        }
        System.out.printf("ensureRoom + 2 admits: %.3f ms per visit; raw Janus calls (5): %.3f ms; overhead %+.1f %%%n",
            tv / 1e6 / visits, rw / 1e6 / visits, 100.0 * (tv - rw) / rw);
        raw.close();

        // ---- 2. ensures/s of new rooms
        for (int threads : new int[] {1, 4}) {
          int n = 2000;
          AtomicInteger next = new AtomicInteger();
          ExecutorService exec = Executors.newFixedThreadPool(threads);
          long t0 = System.nanoTime();
          List<Future<?>> fs = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            fs.add(exec.submit(() -> {
              int k;
              while ((k = next.getAndIncrement()) < n) rooms.ensureRoom("e" + threads + "-" + k);
              return null;
            }));
          }
          for (Future<?> f : fs) f.get();
          double s = (System.nanoTime() - t0) / 1e9;
          exec.shutdown();
          System.out.printf("ensureRoom (new rooms), %d thread(s): %.0f/s%n", threads, n / s);
        }
      }

      // ---- 3. placement over 3 nodes and failover
      try (Connection c = pooled.getConnection(); Statement st = c.createStatement()) {
        st.execute("DELETE FROM televisit.video_room");
      }
      List<JanusNode> three = janus.stream().map(j -> j.node("http://127.0.0.1", 120)).toList();
      try (NodePool pool = new NodePool(three, http, Duration.ofSeconds(1), Duration.ofSeconds(10), Clock.systemUTC())) {
        RoomDirectory directory = new RoomDirectory(pooled, SEAL);
        VideoRooms rooms = new VideoRooms(pool, directory, Clock.systemUTC(), 4);
        for (int i = 0; i < 300; i++) rooms.ensureRoom("p-" + i);
        Map<String, Integer> spread = directory.roomsPerNode();
        System.out.println("300 rooms over 3 nodes of capacity 120: " + spread);
        String victim = directory.visitsOn("n2").get(0);
        rooms.admit(victim, "clinician", "clinician", "Clinician");
        rooms.admit(victim, "patient", "patient", "Patient");
        janus.get(1).kill();
        long t0 = System.nanoTime();
        var moved = rooms.ensureRoom(victim);
        var data = rooms.joinData(victim, "patient").orElseThrow();
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("failover: node n2 killed; next ensureRoom moved the room to %s and re-admitted 2 in %.0f ms%n",
            moved.nodeId(), ms);
        if (data.room() != moved.janusRoom()) throw new IllegalStateException("join data not fresh");
      }
      http.close();
    } finally {
      pooled.close();
      janus.forEach(LocalJanus::close);
      try (Connection c = DriverManager.getConnection(adminUrl, "postgres", "");
          Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }

  static void visit(VideoRooms rooms, String key) {
    rooms.ensureRoom(key);
    rooms.admit(key, "clinician", "clinician", "Clinician");
    rooms.admit(key, "patient", "patient", "Patient");
  }

  /** The Janus calls of one visit, as bare HTTP with pre-written JSON: the floor Televisit builds on. */
  static final class Raw {
    final OkHttpClient client = new OkHttpClient.Builder().connectionPool(new ConnectionPool(4, 5, java.util.concurrent.TimeUnit.MINUTES)).build();
    final JanusNode node;

    Raw(JanusNode node) {
      this.node = node;
    }

    void visit(long room) throws Exception {
      String s = node.adminSecret();
      post("{\"janus\":\"message_plugin\",\"transaction\":\"t\",\"admin_secret\":\"" + s + "\",\"plugin\":\"janus.plugin.videoroom\","
          + "\"request\":{\"request\":\"create\",\"room\":" + room + ",\"secret\":\"sec\",\"pin\":\"pin\",\"is_private\":true,"
          + "\"publishers\":4,\"permanent\":false,\"admin_key\":\"" + node.videoroomAdminKey() + "\",\"allowed\":[]}}");
      for (String who : List.of("a", "b")) {
        String token = "raw-" + room + who;
        post("{\"janus\":\"add_token\",\"transaction\":\"t\",\"admin_secret\":\"" + s + "\",\"token\":\"" + token
            + "\",\"plugins\":[\"janus.plugin.videoroom\"]}");
        post("{\"janus\":\"message_plugin\",\"transaction\":\"t\",\"admin_secret\":\"" + s + "\",\"plugin\":\"janus.plugin.videoroom\","
            + "\"request\":{\"request\":\"allowed\",\"room\":" + room + ",\"secret\":\"sec\",\"action\":\"add\",\"allowed\":[\"" + token + "\"]}}");
      }
    }

    void post(String body) throws Exception {
      try (Response r = client.newCall(new Request.Builder().url(node.adminUrl()).post(RequestBody.create(body, JSON)).build()).execute()) {
        String text = r.body().string();
        if (!text.contains("success")) throw new IllegalStateException(text);
      }
    }

    void close() {
      client.dispatcher().executorService().shutdown();
    }
  }

}
