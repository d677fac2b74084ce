package dev.drover.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Memory of another JVM on this machine, through jcmd and /proc. */
final class JvmMemory {
  private JvmMemory() {}

  /** A full collection in the process, so that the heap read after it is what objects hold. */
  static void collectGarbage(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
  }

  /** The first rows of the process's class histogram (taken after a full collection). */
  static String histogram(long pid, int rows) throws IOException, InterruptedException {
    return jcmd(pid, "GC.class_histogram")
        .lines()
        .limit(rows + 3L)
        .collect(Collectors.joining("\n"));
  }

  /** VmRSS in MiB, or -1 when the process is gone. */
  static long rssMebibytes(long pid) throws IOException {
    long kibibytes = statusField(pid, "VmRSS:");
    return kibibytes < 0 ? -1 : kibibytes / 1024;
  }

  /** Threads of the process, or -1 when it is gone. */
  static long threads(long pid) throws IOException {
    return statusField(pid, "Threads:");
  }

  private static long statusField(long pid, String field) throws IOException {
    Path status = Path.of("/proc", String.valueOf(pid), "status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd =
        Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
    Process process =
        new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return output;
  }
}
