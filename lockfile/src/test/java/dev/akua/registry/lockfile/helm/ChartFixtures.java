package dev.akua.registry.lockfile.helm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Chart archives and index.yaml documents built in the test, named after the case that uses them. */
public final class ChartFixtures {
    private ChartFixtures() {
    }

    /** A dependency line of Chart.yaml. */
    public record Dep(String name, String version, String repository) {
    }

    /** A chart .tgz with {@code <name>/Chart.yaml} (apiVersion v2) and a values file. */
    public static byte[] chart(String name, String version, List<Dep> dependencies, String extra) {
        StringBuilder chartYaml = new StringBuilder("apiVersion: v2\nname: " + name + "\nversion: " + version + "\n");
        if (!dependencies.isEmpty()) {
            chartYaml.append("dependencies:\n");
            for (Dep d : dependencies) {
                chartYaml.append("  - name: ").append(d.name()).append("\n    version: \"").append(d.version())
                        .append("\"\n    repository: \"").append(d.repository()).append("\"\n");
            }
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(name + "/Chart.yaml", chartYaml.toString().getBytes(StandardCharsets.UTF_8));
        files.put(name + "/values.yaml", ("replicaCount: 1\n# " + extra + "\n").getBytes(StandardCharsets.UTF_8));
        return tgz(files);
    }

    public static byte[] chart(String name, String version) {
        return chart(name, version, List.of(), "");
    }

    public static byte[] tgz(Map<String, byte[]> files) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
                for (Map.Entry<String, byte[]> file : files.entrySet()) {
                    TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                    entry.setSize(file.getValue().length);
                    entry.setModTime(0);
                    tar.putArchiveEntry(entry);
                    tar.write(file.getValue());
                    tar.closeArchiveEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One chart version line of an index; digest null leaves the field out. */
    public record IndexEntry(String name, String version, String url, String digest) {
    }

    public static String index(List<IndexEntry> entries) {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nentries:\n");
        Map<String, StringBuilder> byName = new LinkedHashMap<>();
        for (IndexEntry e : entries) {
            StringBuilder b = byName.computeIfAbsent(e.name(), k -> new StringBuilder());
            b.append("  - apiVersion: v2\n    name: ").append(e.name()).append("\n    version: ").append(e.version())
                    .append("\n    created: \"2026-01-01T00:00:00Z\"\n    urls:\n      - ").append(e.url()).append('\n');
            if (e.digest() != null) {
                b.append("    digest: ").append(e.digest()).append('\n');
            }
        }
        byName.forEach((name, b) -> yaml.append("  ").append(name).append(":\n").append(b));
        return yaml.append("generated: \"2026-01-01T00:00:00Z\"\n").toString();
    }
}
