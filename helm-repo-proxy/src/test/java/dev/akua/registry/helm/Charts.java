package dev.akua.registry.helm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Chart archives built in tests, every byte known. */
final class Charts {
    private Charts() {
    }

    static byte[] chart(String name, String version, String extraChartYaml) {
        return tgz(Map.of(name + "/Chart.yaml", "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n" + extraChartYaml,
                name + "/values.yaml", "a: 1\n"));
    }

    static byte[] tgz(Map<String, String> files) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
                for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
                    byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                    e.setSize(content.length);
                    e.setModTime(1_700_000_000_000L);
                    tar.putArchiveEntry(e);
                    tar.write(content);
                    tar.closeArchiveEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
