package org.televisit.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Secrets a single-node run generates once and keeps in its data folder, readable by its user only.
 */
public final class SecretFiles {

  private SecretFiles() {}

  /**
   * A 256-bit key, base64, generated once into {@code file} (for sealing secrets at rest on one
   * node).
   */
  public static String readOrCreateKey(Path file) throws IOException {
    return readOrCreate(
            file,
            () -> {
              byte[] bytes = new byte[32];
              new SecureRandom().nextBytes(bytes);
              return Base64.getEncoder().encodeToString(bytes);
            })
        .trim();
  }

  /**
   * The file's content; on first use {@code generate} makes it and it is written with mode 0600.
   */
  public static String readOrCreate(Path file, Supplier<String> generate) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file);
    }
    String content = generate.get();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, content);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // not a POSIX file system: nothing to tighten
    }
    return content;
  }
}
