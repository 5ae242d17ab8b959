package dev.akua.registry.helm.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChartReaderTest {
    private static final String CHART_YAML = "apiVersion: v2\nname: demo\nversion: 1.2.3\n";
    private final ChartReader reader = new ChartReader(new ChartReader.Limits(64 * 1024, 16 * 1024, 50, 4096));

    record E(String name, byte type, String link, byte[] content) {
        static E file(String name, String content) {
            return new E(name, TarArchiveEntry.LF_NORMAL, null, content.getBytes(StandardCharsets.UTF_8));
        }

        static E special(String name, byte type, String link) {
            return new E(name, type, link, new byte[0]);
        }
    }

    static byte[] tgz(List<E> entries) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (E e : entries) {
                    TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.type(), true);
                    if (e.link() != null) {
                        entry.setLinkName(e.link());
                    }
                    entry.setSize(e.type() == TarArchiveEntry.LF_NORMAL ? e.content().length : 0);
                    entry.setModTime(1_600_000_000_000L);
                    tar.putArchiveEntry(entry);
                    if (e.type() == TarArchiveEntry.LF_NORMAL) {
                        tar.write(e.content());
                    }
                    tar.closeArchiveEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void read_wellFormedChart_digestMetadataAndChartYamlTime() throws Exception {
        byte[] archive = tgz(List.of(E.special("demo/", TarArchiveEntry.LF_DIR, null), E.file("demo/Chart.yaml", CHART_YAML
                + "dependencies:\n  - name: db\n    version: ^1\n    repository: https://charts.example.com\n"),
                E.file("demo/templates/cm.yaml", "kind: ConfigMap\n")));

        ChartReader.Chart chart = reader.read(new ByteArrayInputStream(archive));

        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive)), chart.sha256Hex());
        assertEquals(archive.length, chart.size());
        assertEquals("demo", chart.topDirectory());
        assertEquals("demo", chart.metadata().name());
        assertEquals("1.2.3", chart.metadata().version());
        assertEquals(List.of(new ChartMetadata.Dependency("db", "^1", "https://charts.example.com")), chart.metadata().dependencies());
        assertEquals(1_600_000_000L, chart.chartYamlModified().getEpochSecond());
    }

    static Stream<Arguments> hostileArchives() {
        String big = "x".repeat(16 * 1024 + 1);
        return Stream.of(
                Arguments.of("absolute path", List.of(E.file("demo/Chart.yaml", CHART_YAML), E.file("/etc/passwd", "x"))),
                Arguments.of("parent directory", List.of(E.file("demo/Chart.yaml", CHART_YAML), E.file("demo/../../x", "x"))),
                Arguments.of("symbolic link", List.of(E.file("demo/Chart.yaml", CHART_YAML),
                        E.special("demo/link", TarArchiveEntry.LF_SYMLINK, "/etc/shadow"))),
                Arguments.of("hard link", List.of(E.file("demo/Chart.yaml", CHART_YAML),
                        E.special("demo/hard", TarArchiveEntry.LF_LINK, "demo/Chart.yaml"))),
                Arguments.of("device", List.of(E.file("demo/Chart.yaml", CHART_YAML), E.special("demo/tty", TarArchiveEntry.LF_CHR, null))),
                Arguments.of("device", List.of(E.file("demo/Chart.yaml", CHART_YAML), E.special("demo/sda", TarArchiveEntry.LF_BLK, null))),
                Arguments.of("FIFO", List.of(E.file("demo/Chart.yaml", CHART_YAML), E.special("demo/pipe", TarArchiveEntry.LF_FIFO, null))),
                Arguments.of("more than one top-level directory", List.of(E.file("demo/Chart.yaml", CHART_YAML), E.file("other/x", "x"))),
                Arguments.of("outside the chart directory", List.of(E.file("Chart.yaml", CHART_YAML))),
                Arguments.of("no demo/Chart.yaml", List.of(E.file("demo/values.yaml", "a: 1\n"))),
                Arguments.of("backslash", List.of(E.file("demo/Chart.yaml", CHART_YAML), E.file("demo\\..\\x", "x"))),
                Arguments.of("illegally named", List.of(E.file("demo/Chart.yaml", CHART_YAML), E.file("demo/c:/windows", "x"))),
                Arguments.of("twice", List.of(E.file("demo/Chart.yaml", CHART_YAML), E.file("demo/Chart.yaml", CHART_YAML))),
                Arguments.of("MaxDecompressedFileSize", List.of(E.file("demo/Chart.yaml", CHART_YAML), E.file("demo/big", big))),
                Arguments.of("MaxDecompressedChartSize", List.of(E.file("demo/Chart.yaml", CHART_YAML), E.file("demo/a", big.substring(1)),
                        E.file("demo/b", big.substring(1)), E.file("demo/c", big.substring(1)), E.file("demo/d", big.substring(1)))),
                Arguments.of("non-canonical", List.of(E.file("demo/Chart.yaml", CHART_YAML), E.file("demo/./x", "x"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileArchives")
    void read_hostileArchive_refusedNamingTheRule(String rule, List<E> entries) {
        InvalidChartException e = assertThrows(InvalidChartException.class, () -> reader.read(new ByteArrayInputStream(tgz(entries))));
        assertTrue(e.getMessage().contains(rule), () -> rule + ": " + e.getMessage());
    }

    static Stream<Arguments> insaneChartYamls() {
        return Stream.of(
                Arguments.of("no name", "apiVersion: v2\nversion: 1.0.0\n"),
                Arguments.of("not a valid chart name", "apiVersion: v2\nname: \"de mo\"\nversion: 1.0.0\n"),
                Arguments.of("not SemVer", "apiVersion: v2\nname: demo\nversion: latest\n"),
                Arguments.of("not SemVer", "apiVersion: v2\nname: demo\nversion: \"1.0\"\n"),
                Arguments.of("must be a non-empty string", "apiVersion: v2\nname: demo\nversion: 1\n"),
                Arguments.of("control characters", "apiVersion: v2\nname: demo\nversion: 1.0.0\ndescription: \"esc\\e[31m\"\n"),
                Arguments.of("control characters", "apiVersion: v2\nname: \"demo\\0\"\nversion: 1.0.0\n"),
                Arguments.of("apiVersion must be v1 or v2", "apiVersion: v9\nname: demo\nversion: 1.0.0\n"),
                Arguments.of("no apiVersion", "name: demo\nversion: 1.0.0\n"),
                Arguments.of("type must be application or library", "apiVersion: v2\nname: demo\nversion: 1.0.0\ntype: plugin\n"),
                Arguments.of("aliases are not accepted", "apiVersion: v2\nname: &n demo\nversion: 1.0.0\ndescription: *n\n"),
                Arguments.of("Duplicate field", "apiVersion: v2\nname: demo\nname: other\nversion: 1.0.0\n"),
                Arguments.of("not a mapping", "- just\n- a list\n"),
                Arguments.of("dependency without a name", "apiVersion: v2\nname: demo\nversion: 1.0.0\ndependencies:\n  - version: 1\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("insaneChartYamls")
    void read_insaneChartYaml_refused(String rule, String chartYaml) {
        InvalidChartException e = assertThrows(InvalidChartException.class,
                () -> reader.read(new ByteArrayInputStream(tgz(List.of(E.file("demo/Chart.yaml", chartYaml))))));
        assertTrue(e.getMessage().contains(rule), () -> rule + ": " + e.getMessage());
    }

    @Test
    void read_notGzipOrTruncated_refused() {
        byte[] archive = tgz(List.of(E.file("demo/Chart.yaml", CHART_YAML)));
        InvalidChartException notGzip = assertThrows(InvalidChartException.class,
                () -> reader.read(new ByteArrayInputStream("plain text".getBytes(StandardCharsets.UTF_8))));
        assertTrue(notGzip.getMessage().contains("gzip"), notGzip.getMessage());
        assertThrows(InvalidChartException.class, () -> reader.read(new ByteArrayInputStream(java.util.Arrays.copyOf(archive, archive.length / 2))));
    }

    @Test
    void read_sourceStreamFails_originalExceptionPassesThrough() {
        IOException boom = new IOException("remote read failed");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw boom;
            }
        };
        IOException e = assertThrows(IOException.class, () -> reader.read(failing));
        assertEquals(boom, e, "a failing source is not reported as a broken archive");
    }

    @Test
    void read_gzipBomb_refusedBeforeExpandingIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            TarArchiveEntry chart = new TarArchiveEntry("demo/Chart.yaml");
            byte[] yaml = CHART_YAML.getBytes(StandardCharsets.UTF_8);
            chart.setSize(yaml.length);
            tar.putArchiveEntry(chart);
            tar.write(yaml);
            tar.closeArchiveEntry();
            TarArchiveEntry zeros = new TarArchiveEntry("demo/zeros");
            zeros.setSize(64L << 20);
            tar.putArchiveEntry(zeros);
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                tar.write(block);
            }
            tar.closeArchiveEntry();
        }
        assertTrue(bytes.size() < 200_000, "the bomb is small compressed");
        InvalidChartException e = assertThrows(InvalidChartException.class,
                () -> reader.read(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(e.getMessage().contains("MaxDecompressedFileSize"), e.getMessage());
    }
}
