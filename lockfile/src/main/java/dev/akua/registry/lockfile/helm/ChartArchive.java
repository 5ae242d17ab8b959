package dev.akua.registry.lockfile.helm;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a chart archive (.tgz) in one pass while it streams: the sha256 of the exact bytes
 * (what the lock pins), and the {@code dependencies} of its top-level {@code Chart.yaml}. Bounded:
 * the uncompressed size, the number of entries and the size of Chart.yaml are capped (gzip bombs).
 * The Chart.yaml result is only meaningful once the caller has checked the digest.
 */
public final class ChartArchive {
    /**
     * A dependency declared in Chart.yaml.
     *
     * @param name       chart name
     * @param version    version or range
     * @param repository repository URL, {@code oci://} path, {@code file://} path or empty
     */
    public record ChartDependency(String name, String version, String repository) {
    }

    /**
     * The outcome of reading an archive.
     *
     * @param sha256Hex    hex sha256 of the archive bytes
     * @param size         archive size in bytes
     * @param chartName    {@code name} of Chart.yaml, or null if none found
     * @param dependencies Chart.yaml dependencies
     */
    public record Contents(String sha256Hex, long size, String chartName, List<ChartDependency> dependencies) {
        public Contents {
            dependencies = List.copyOf(dependencies);
        }
    }

    private final BoundedYaml yaml;
    private final long maxUncompressed;
    private final int maxEntries;
    private final int maxChartYaml;

    public ChartArchive(BoundedYaml yaml, long maxUncompressed, int maxEntries, int maxChartYaml) {
        this.yaml = yaml;
        this.maxUncompressed = maxUncompressed;
        this.maxEntries = maxEntries;
        this.maxChartYaml = maxChartYaml;
    }

    /** Reads and hashes the whole stream; fails on a broken archive or when a limit is passed. */
    public Contents read(InputStream archive) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        CountingStream raw = new CountingStream(new DigestInputStream(archive, sha256), Long.MAX_VALUE);
        String chartName = null;
        List<ChartDependency> dependencies = List.of();
        try {
            // The JDK's gzip reader, not commons-compress: Helm writes a free-form FEXTRA field that
            // commons-compress 1.28 rejects as malformed subfields; the JDK skips it as RFC 1952 allows.
            java.util.zip.GZIPInputStream gunzip = new java.util.zip.GZIPInputStream(new NonClosing(raw), 8192);
            CountingStream inflated = new CountingStream(gunzip, maxUncompressed);
            TarArchiveInputStream tar = new TarArchiveInputStream(inflated);
            TarArchiveEntry entry;
            int entries = 0;
            while ((entry = tar.getNextEntry()) != null) {
                if (++entries > maxEntries) {
                    throw new IOException("chart archive has more than " + maxEntries + " entries");
                }
                if (inflated.count > maxUncompressed) {
                    throw new IOException("chart archive expands beyond " + maxUncompressed + " bytes");
                }
                if (chartName == null && entry.isFile() && isTopLevelChartYaml(entry.getName())) {
                    if (entry.getSize() > maxChartYaml) {
                        throw new IOException("Chart.yaml larger than " + maxChartYaml + " bytes");
                    }
                    byte[] bytes = tar.readNBytes(maxChartYaml + 1);
                    if (bytes.length > maxChartYaml) {
                        throw new IOException("Chart.yaml larger than " + maxChartYaml + " bytes");
                    }
                    JsonNode chart = yaml.readTree(new InputStreamReader(new java.io.ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
                    chartName = chart.path("name").asText(null);
                    dependencies = dependencies(chart);
                }
                long guard = inflated.count;
                if (guard > maxUncompressed) {
                    throw new IOException("chart archive expands beyond " + maxUncompressed + " bytes");
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException("broken chart archive: " + e.getMessage(), e);
        }
        // Hash to the last byte: trailing data after the gzip member is part of what is pinned.
        raw.transferTo(OutputSink.INSTANCE);
        return new Contents(HexFormat.of().formatHex(sha256.digest()), raw.count, chartName, dependencies);
    }

    private static boolean isTopLevelChartYaml(String name) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        int slash = n.indexOf('/');
        return n.equals("Chart.yaml") || (slash > 0 && n.substring(slash + 1).equals("Chart.yaml"));
    }

    private static List<ChartDependency> dependencies(JsonNode chart) throws IOException {
        JsonNode deps = chart.get("dependencies");
        if (deps == null || deps.isNull()) {
            return List.of();
        }
        if (!deps.isArray()) {
            throw new IOException("Chart.yaml `dependencies` is not a list");
        }
        List<ChartDependency> out = new ArrayList<>();
        for (JsonNode d : deps) {
            String name = d.path("name").asText("");
            String version = d.path("version").asText("");
            if (name.isEmpty()) {
                throw new IOException("Chart.yaml has a dependency without a name");
            }
            out.add(new ChartDependency(name, version.isEmpty() ? "*" : version, d.path("repository").asText("")));
        }
        return out;
    }

    /** Counts bytes and fails as soon as more than the limit pass; skips are reads, so they count too. */
    private static final class CountingStream extends FilterInputStream {
        private final long limit;
        long count;

        CountingStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        private void add(long n) throws IOException {
            count += n;
            if (count > limit) {
                throw new IOException("chart archive expands beyond " + limit + " bytes");
            }
        }
    }

    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }

    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
