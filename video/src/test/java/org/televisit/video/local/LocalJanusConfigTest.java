package org.televisit.video.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated configuration is locked down as the design asks. */
class LocalJanusConfigTest {

  @TempDir Path folder;

  @Test
  void loopbackOnlyTokenAuthOnlyVideoroomAndHttpAndSecretsReadableByOwnerOnly() throws Exception {
    LocalJanus.writeConfiguration(
        new LocalJanus.Settings(
            "t",
            folder,
            18111,
            18112,
            "the-admin-secret",
            "the-admin-key",
            20000,
            20099,
            "http://127.0.0.1:8080/api/video/janus-events",
            "janus",
            "the-events-password",
            60));
    String core = Files.readString(folder.resolve("janus.jcfg"));
    assertThat(core)
        .contains("token_auth = true")
        .contains("admin_secret = \"the-admin-secret\"")
        .contains("rtp_port_range = \"20000-20099\"");
    assertThat(core).containsPattern("plugins: \\{\\s+disable = \"[^\"]*libjanus_echotest.so");
    assertThat(core)
        .doesNotContainPattern("plugins: \\{\\s+disable = \"[^\"]*libjanus_videoroom.so");
    assertThat(core).doesNotContainPattern("transports: \\{\\s+disable = \"[^\"]*libjanus_http.so");
    assertThat(core).doesNotContain("stun_server");
    String http = Files.readString(folder.resolve("janus.transport.http.jcfg"));
    assertThat(http)
        .contains("ip = \"127.0.0.1\"")
        .contains("admin_ip = \"127.0.0.1\"")
        .contains("port = 18111")
        .contains("admin_port = 18112");
    assertThat(Files.readString(folder.resolve("janus.plugin.videoroom.jcfg")))
        .contains("admin_key = \"the-admin-key\"");
    assertThat(Files.readString(folder.resolve("janus.eventhandler.sampleevh.jcfg")))
        .contains("backend_user = \"janus\"")
        .contains("backend_pwd = \"the-events-password\"");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(folder.resolve("janus.jcfg"))))
        .isEqualTo("rw-------");
  }
}
