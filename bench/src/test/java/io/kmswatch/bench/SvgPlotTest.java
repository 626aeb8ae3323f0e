package io.kmswatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgPlotTest {

    @Test
    void aLogAxisSpacesDecadesEvenlyAndEachSeriesIsAPolyline(@TempDir Path dir) throws Exception {
        SvgPlot plot = new SvgPlot("cardinality & <cost>", "keys", new double[] {1_000, 10_000, 100_000}, true)
                .series("events/s", new double[] {50_000, 40_000, 30_000})
                .series("peak RSS, MiB", new double[] {400, 500, 700});
        Path file = plot.write(dir.resolve("sub/plot.svg"));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(file)));

        NodeList lines = doc.getElementsByTagName("polyline");
        assertThat(lines.getLength()).isEqualTo(2);
        List<double[]> first = points((Element) lines.item(0));
        // log axis: 1k→10k and 10k→100k are the same distance
        assertThat(first.get(1)[0] - first.get(0)[0]).isCloseTo(first.get(2)[0] - first.get(1)[0], org.assertj.core.data.Offset.offset(0.2));
        // falling throughput: y grows downwards in SVG
        assertThat(first.get(0)[1]).isLessThan(first.get(1)[1]);
        assertThat(first.get(1)[1]).isLessThan(first.get(2)[1]);
        assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(6);
        assertThat(Files.readString(file)).contains("cardinality &amp; &lt;cost&gt;", "keys (log scale)", "10k", "100k");
    }

    @Test
    void aSharedAxisScalesEverySeriesAlike() throws Exception {
        String svg = new SvgPlot("soak", "minutes", new double[] {1, 2}, false).sharedAxis("MiB")
                .series("RSS", new double[] {400, 400})
                .series("heap", new double[] {100, 100})
                .series("disk", new double[] {0, 0}).svg();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        NodeList lines = doc.getElementsByTagName("polyline");
        double rss = points((Element) lines.item(0)).get(0)[1];
        double heap = points((Element) lines.item(1)).get(0)[1];
        double disk = points((Element) lines.item(2)).get(0)[1];
        // zero at the bottom; heap a quarter of RSS's height above it
        assertThat((disk - heap) / (disk - rss)).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void refusesWhatItCannotDraw() {
        assertThatThrownBy(() -> new SvgPlot("t", "x", new double[] {0, 10}, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SvgPlot("t", "x", new double[] {}, false)).isInstanceOf(IllegalArgumentException.class);
        SvgPlot p = new SvgPlot("t", "x", new double[] {1, 2}, false);
        assertThatThrownBy(() -> p.series("y", new double[] {1})).isInstanceOf(IllegalArgumentException.class);
        p.series("a", new double[] {1, 2}).series("b", new double[] {1, 2});
        assertThatThrownBy(() -> p.series("c", new double[] {1, 2})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundsAxesUpAndLabelsShortly() {
        assertThat(SvgPlot.niceTop(43_000)).isEqualTo(50_000);
        assertThat(SvgPlot.niceTop(700)).isEqualTo(1_000);
        assertThat(SvgPlot.niceTop(200)).isEqualTo(200);
        assertThat(SvgPlot.niceTop(0)).isEqualTo(1);
        assertThat(SvgPlot.label(10_000_000)).isEqualTo("10M");
        assertThat(SvgPlot.label(2_500)).isEqualTo("2.5k");
        assertThat(SvgPlot.label(0.5)).isEqualTo("0.5");
    }

    private static List<double[]> points(Element polyline) {
        List<double[]> out = new ArrayList<>();
        for (String p : polyline.getAttribute("points").trim().split("\\s+")) {
            String[] xy = p.split(",");
            out.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
        }
        return out;
    }
}
