package dev.akua.registry.conformance;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Chart archives and index.yaml documents for the Helm-repository tests, built here so every
 * byte is known (the digests the tests compare are computed from these bytes).
 */
final class HelmFixtures {
    private HelmFixtures() {
    }

    /** A renderable chart: Chart.yaml, values.yaml and a ConfigMap template. */
    static byte[] chart(String name, String version) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(name + "/Chart.yaml", utf8("apiVersion: v2\nname: " + name + "\nversion: " + version
                + "\ndescription: A <demo> chart & more\nappVersion: \"" + version + "\"\ntype: application\n"
                + "maintainers:\n  - name: Ada\n    email: ada@example.com\n"));
        files.put(name + "/values.yaml", utf8("greeting: hello from " + name + " " + version + "\n"));
        files.put(name + "/templates/configmap.yaml", utf8("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-cm
                data:
                  greeting: {{ .Values.greeting | quote }}
                  chart: {{ .Chart.Name }}-{{ .Chart.Version }}
                """));
        return tgz(entries(files));
    }

    /** One tar entry: a file, or a special entry with a type flag and link target. */
    record Entry(String name, byte type, String link, byte[] content) {
        static Entry file(String name, String content) {
            return new Entry(name, TarArchiveEntry.LF_NORMAL, null, utf8(content));
        }
    }

    static List<Entry> entries(Map<String, byte[]> files) {
        List<Entry> out = new ArrayList<>();
        files.forEach((k, v) -> out.add(new Entry(k, TarArchiveEntry.LF_NORMAL, null, v)));
        return out;
    }

    static byte[] tgz(List<Entry> entries) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (Entry e : entries) {
                    TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.type(), true);   // keep hostile names as written
                    if (e.link() != null) {
                        entry.setLinkName(e.link());
                    }
                    entry.setModTime(1_700_000_000_000L);
                    entry.setSize(e.type() == TarArchiveEntry.LF_NORMAL ? e.content().length : 0);
                    tar.putArchiveEntry(entry);
                    if (e.type() == TarArchiveEntry.LF_NORMAL) {
                        tar.write(e.content());
                    }
                    tar.closeArchiveEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A chart version line of an index: digest null leaves the field out. */
    record IndexEntry(String name, String version, String url, String digest) {
    }

    static String index(List<IndexEntry> entries) {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nentries:\n");
        Map<String, StringBuilder> byName = new LinkedHashMap<>();
        for (IndexEntry e : entries) {
            StringBuilder b = byName.computeIfAbsent(e.name(), k -> new StringBuilder());
            b.append("  - apiVersion: v2\n    name: ").append(e.name()).append("\n    version: ").append(e.version())
                    .append("\n    appVersion: \"").append(e.version()).append("\"\n    description: A <demo> chart & more")
                    .append("\n    created: \"2026-01-01T00:00:00Z\"\n    urls:\n      - ").append(e.url()).append('\n');
            if (e.digest() != null) {
                b.append("    digest: ").append(e.digest()).append('\n');
            }
        }
        byName.forEach((name, b) -> yaml.append("  ").append(name).append(":\n").append(b));
        return yaml.append("generated: \"2026-01-01T00:00:00Z\"\n").toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
