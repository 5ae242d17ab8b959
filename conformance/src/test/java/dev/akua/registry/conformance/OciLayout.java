package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an OCI image layout (image-spec image-layout.md: {@code oci-layout}, {@code index.json},
 * {@code blobs/<alg>/<hex>}) for real clients to read, with refs named by
 * {@code org.opencontainers.image.ref.name}.
 */
final class OciLayout {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Path dir;
    private final Map<String, String> refs = new LinkedHashMap<>();

    OciLayout(Path dir) {
        this.dir = dir;
    }

    /** A gzip'd tar holding one file, deterministic for the same name and content. */
    static byte[] gzipTar(String name, byte[] content) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out); TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setSize(content.length);
                e.setModTime(0);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Digest blob(byte[] content) {
        Digest d = Digest.sha256(content);
        try {
            Path p = dir.resolve("blobs/sha256/" + d.hex());
            Files.createDirectories(p.getParent());
            Files.write(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    static String desc(String mediaType, byte[] content) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digest.sha256(content) + "\",\"size\":" + content.length + "}";
    }

    /** An image for a platform; returns the manifest bytes (also stored as a blob). */
    byte[] image(String arch, String seed) {
        byte[] config = ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Labels\":{\"seed\":\"" + seed + "\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer1 = gzipTar("etc/" + seed, ("hello from " + seed + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] layer2 = gzipTar("usr/" + seed, Oci.random(2048, seed.hashCode()));
        blob(config);
        blob(layer1);
        blob(layer2);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + desc(MediaTypes.OCI_CONFIG, config)
                + ",\"layers\":[" + desc("application/vnd.oci.image.layer.v1.tar+gzip", layer1) + ","
                + desc("application/vnd.oci.image.layer.v1.tar+gzip", layer2) + "]}").getBytes(StandardCharsets.UTF_8);
        blob(manifest);
        return manifest;
    }

    byte[] index(byte[] amd64, byte[] arm64) {
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + Digest.sha256(amd64) + "\",\"size\":" + amd64.length
                + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + Digest.sha256(arm64) + "\",\"size\":" + arm64.length
                + ",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}").getBytes(StandardCharsets.UTF_8);
        blob(index);
        return index;
    }

    /** An artifact (empty config, artifactType) whose subject is {@code subject}. */
    byte[] referrer(byte[] subject, String artifactType, byte[] payload) {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        blob(empty);
        blob(payload);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\"" + artifactType
                + "\",\"config\":" + desc(MediaTypes.OCI_EMPTY, empty) + ",\"layers\":[" + desc("application/spdx+json", payload)
                + "],\"subject\":" + desc(MediaTypes.OCI_MANIFEST, subject)
                + ",\"annotations\":{\"org.opencontainers.image.created\":\"2026-01-01T00:00:00Z\"}}").getBytes(StandardCharsets.UTF_8);
        blob(manifest);
        return manifest;
    }

    void ref(String name, String mediaType, byte[] manifest) {
        refs.put(name, "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digest.sha256(manifest) + "\",\"size\":" + manifest.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + name + "\"}}");
    }

    void write() {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[" + String.join(",", refs.values()) + "]}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The digest a layout's index.json gives for a ref name. */
    static Digest refDigest(Path layout, String name) {
        try {
            JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
            for (JsonNode m : index.get("manifests")) {
                JsonNode ann = m.get("annotations");
                if (ann != null && name.equals(ann.path("org.opencontainers.image.ref.name").asText())) {
                    return Digest.parse(m.get("digest").asText());
                }
            }
            throw new AssertionError("ref " + name + " not in " + layout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
