package io.kmswatch.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.Json;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay report as a reader sees it: rendered by headless Chromium, then checked on the laid-out page
 * (positions the browser computed for the SVG's labels and markers) and on the screenshot's pixels. A copy
 * of the report with a probe script appended measures the layout; the report itself has no script.
 *
 * <p>The screenshot is kept at {@code target/report-render/replay-report.png} for a person to look at.
 */
class ReplayReportRenderIT {
    private static final Path OUT = Path.of("target", "report-render");
    private static final Pattern PROBE = Pattern.compile("<pre id=\"probe\">(.*?)</pre>", Pattern.DOTALL);
    private static final String PROBE_SCRIPT = """
            <script>
            (function () {
              function box(e) {
                var r = e.getBoundingClientRect();
                return {text: e.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
              }
              function all(selector, f) { return Array.prototype.map.call(document.querySelectorAll(selector), f || box); }
              var out = {
                viewport: document.documentElement.clientWidth,
                svg: box(document.querySelector('svg.plot')),
                ytick: all('svg .ytick'),
                xtick: all('svg .xtick'),
                bars: all('svg rect.bar'),
                markers: all('svg g.marker', function (g) {
                  var b = box(g.querySelector('circle'));
                  b.alert = g.getAttribute('data-alert');
                  b.detection = g.getAttribute('data-detection');
                  return b;
                }),
                summaries: all('summary', function (s) { return s.textContent; }),
                body: document.body.innerText
              };
              var pre = document.createElement('pre');
              pre.id = 'probe';
              pre.textContent = JSON.stringify(out);
              document.body.appendChild(pre);
            })();
            </script>
            """;

    @TempDir
    static Path dir;
    static JsonNode probe;
    static BufferedImage screenshot;

    @BeforeAll
    static void render() throws Exception {
        String html = ReportFixtures.lateAlertIncident().html();
        assertThat(html).doesNotContain("<script");
        Files.createDirectories(OUT);
        Path report = OUT.resolve("replay-report.html");
        Files.writeString(report, html);
        Path probed = dir.resolve("probed.html");
        Files.writeString(probed, html.replace("</body>", PROBE_SCRIPT + "</body>"));

        String dom = chromium("--dump-dom", probed.toUri().toString());
        Matcher m = PROBE.matcher(dom);
        assertThat(m.find()).as("the probe ran; Chromium printed:%n%s", dom.substring(0, Math.min(2000, dom.length()))).isTrue();
        probe = Json.MAPPER.readTree(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));

        Path png = OUT.resolve("replay-report.png");
        Files.deleteIfExists(png);
        chromium("--screenshot=" + png, report.toUri().toString());
        screenshot = ImageIO.read(png.toFile());
        assertThat(screenshot).as("a PNG at %s", png).isNotNull();
    }

    @Test
    void shouldLabelTheCallAxisWithWholeNumbersEachOnce() {
        List<String> labels = texts(probe.get("ytick"));
        assertThat(labels).as("y axis labels").hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates().contains("0")
                .allMatch(t -> t.matches("\\d+"));
        // read top to bottom they count down
        List<Long> topToBottom = new ArrayList<>();
        List<JsonNode> ticks = new ArrayList<>();
        probe.get("ytick").forEach(ticks::add);
        ticks.sort((a, b) -> Double.compare(a.get("top").asDouble(), b.get("top").asDouble()));
        ticks.forEach(t -> topToBottom.add(Long.parseLong(t.get("text").asText())));
        assertThat(topToBottom).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(topToBottom.get(0)).as("the top label covers the busiest minute (2 calls)").isGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldKeepEveryTimeLabelInsideThePlotAndApart() {
        JsonNode svg = probe.get("svg");
        double viewport = probe.get("viewport").asDouble();
        List<JsonNode> labels = new ArrayList<>();
        probe.get("xtick").forEach(labels::add);
        assertThat(labels).hasSizeGreaterThanOrEqualTo(3);
        for (JsonNode l : labels) {
            assertThat(l.get("left").asDouble()).as("left edge of '%s'", l.get("text").asText())
                    .isGreaterThanOrEqualTo(svg.get("left").asDouble());
            assertThat(l.get("right").asDouble()).as("right edge of '%s' (plot ends at %s, window at %s)",
                    l.get("text").asText(), svg.get("right").asDouble(), viewport)
                    .isLessThanOrEqualTo(svg.get("right").asDouble()).isLessThanOrEqualTo(viewport);
        }
        labels.sort((a, b) -> Double.compare(a.get("left").asDouble(), b.get("left").asDouble()));
        for (int i = 1; i < labels.size(); i++) {
            assertThat(labels.get(i).get("left").asDouble()).as("'%s' starts after '%s' ends",
                    labels.get(i).get("text").asText(), labels.get(i - 1).get("text").asText())
                    .isGreaterThan(labels.get(i - 1).get("right").asDouble());
        }
    }

    @Test
    void shouldShowEveryAlertAsItsOwnNumberedMarker() {
        List<JsonNode> markers = new ArrayList<>();
        probe.get("markers").forEach(markers::add);
        assertThat(markers).extracting(n -> n.get("alert").asText()).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6");
        JsonNode svg = probe.get("svg");
        for (int i = 0; i < markers.size(); i++) {
            JsonNode a = markers.get(i);
            assertThat(a.get("left").asDouble()).isGreaterThanOrEqualTo(svg.get("left").asDouble());
            assertThat(a.get("right").asDouble()).isLessThanOrEqualTo(svg.get("right").asDouble());
            assertThat(a.get("top").asDouble()).isGreaterThanOrEqualTo(svg.get("top").asDouble());
            for (int j = i + 1; j < markers.size(); j++) {
                JsonNode b = markers.get(j);
                boolean apart = a.get("right").asDouble() <= b.get("left").asDouble() + 1
                        || b.get("right").asDouble() <= a.get("left").asDouble() + 1
                        || a.get("bottom").asDouble() <= b.get("top").asDouble() + 1
                        || b.get("bottom").asDouble() <= a.get("top").asDouble() + 1;
                assertThat(apart).as("marker %s and marker %s do not cover each other", a.get("alert"), b.get("alert")).isTrue();
            }
            assertThat(paintedRed(a)).as("marker %s is painted", a.get("alert")).isTrue();
        }
    }

    @Test
    void shouldShowTheAlertThatFiresDaysAfterTheLastRecordRightOfTheRecords() {
        JsonNode pending = null;
        for (JsonNode m : probe.get("markers")) {
            if (m.get("detection").asText().equals("key-deletion-pending")) {
                pending = m;
            }
        }
        assertThat(pending).as("a marker for key-deletion-pending").isNotNull();
        double barsEnd = 0;
        for (JsonNode b : probe.get("bars")) {
            barsEnd = Math.max(barsEnd, b.get("right").asDouble());
        }
        assertThat(pending.get("left").asDouble()).as("right of the last bar").isGreaterThan(barsEnd);
        assertThat(paintedRed(pending)).as("the late marker is painted").isTrue();
        String day = ReportFixtures.PENDING_FIRES.toString().substring(0, 10);
        assertThat(texts(probe.get("xtick"))).as("its date is on the axis").anyMatch(t -> t.contains(day));
        assertThat(probe.get("body").asText()).contains("22 days later");
    }

    @Test
    void shouldCountEvidenceInGoodEnglish() {
        assertThat(texts(probe.get("summaries"))).contains("Evidence: 1 record", "Evidence: 5 records");
        assertThat(probe.get("body").asText()).doesNotContainPattern("(?<![0-9])1 (records|alerts|KMS records)\\b");
    }

    /** Whether the screenshot shows the marker's red dot (sampled above its number). */
    private static boolean paintedRed(JsonNode marker) {
        int x = (int) Math.round((marker.get("left").asDouble() + marker.get("right").asDouble()) / 2);
        int y = (int) Math.round(marker.get("top").asDouble() + 2.5);
        if (x < 0 || y < 0 || x >= screenshot.getWidth() || y >= screenshot.getHeight()) {
            return false;
        }
        int rgb = screenshot.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return r > 180 && g < 90 && b < 90; // #d62728
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.get("text").asText()));
        return out;
    }

    /** Runs headless Chromium on its own profile with one action; returns what it printed on stdout. */
    private static String chromium(String... action) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-");
        List<String> cmd = new ArrayList<>(List.of(chromiumBinary(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1280,1000",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(action));
        Path stdout = dir.resolve("chromium-" + profile.getFileName() + ".out");
        Path stderr = dir.resolve("chromium-" + profile.getFileName() + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not finish in 120 s: " + Files.readString(stderr));
        }
        assertThat(p.exitValue()).as("Chromium's exit code; stderr:%n%s", Files.readString(stderr)).isZero();
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static String chromiumBinary() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("Chromium is not installed (scripts/test installs the Debian package 'chromium')");
    }
}
