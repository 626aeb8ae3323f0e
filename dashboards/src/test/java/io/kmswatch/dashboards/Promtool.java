package io.kmswatch.dashboards;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code promtool} (Debian package {@code prometheus}, 2.42). A missing binary fails the
 * calling test with the install command: these checks are the module's point, so they never skip.
 */
final class Promtool {
    /** A guard against a hung child, not a speed bound: promtool answers these in well under a second. */
    private static final long GUARD_SECONDS = 120;

    private Promtool() {
    }

    record Result(int exitCode, String output) {
    }

    static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "promtool");
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return fail("promtool is not on the PATH. Install it with `apt-get install prometheus` (Debian package"
                + " 'prometheus', which provides /usr/bin/promtool); scripts/test installs it on CI.");
    }

    /** Runs {@code promtool args…} in {@code workDir}, stdout and stderr merged. */
    static Result run(Path workDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(GUARD_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fail("promtool did not finish: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return fail("cannot run " + command + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + command);
        }
    }
}
