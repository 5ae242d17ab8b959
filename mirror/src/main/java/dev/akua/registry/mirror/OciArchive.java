package dev.akua.registry.mirror;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The archive format of air-gap transfer: an OCI image layout (image-spec image-layout.md) in a tar,
 * which standard tools read ({@code skopeo copy oci-archive:FILE:<repository>:<tag> …}):
 * <pre>
 * oci-layout                 {"imageLayoutVersion":"1.0.0"}
 * index.json                 an image index: one descriptor per exported manifest
 * blobs/&lt;alg&gt;/&lt;hex&gt;          every manifest and blob, named by its digest
 * </pre>
 * Each {@code index.json} descriptor carries {@code dev.akua.registry.repository} (the repository it
 * is imported into) and, for tagged manifests, {@code dev.akua.registry.tag} and
 * {@code org.opencontainers.image.ref.name} = {@code <repository>:<tag>} (the name skopeo selects
 * by). Untagged descriptors are referrers (OCI 1.1 {@code subject}), imported by digest. The
 * archive is written with {@code index.json} before the blobs, so a reader knows the plan early;
 * a reader accepts any order.
 */
final class OciArchive {
    static final String LAYOUT_FILE = "oci-layout";
    static final String INDEX_FILE = "index.json";
    static final String LAYOUT_VERSION = "1.0.0";
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String REPOSITORY = "dev.akua.registry.repository";
    static final String TAG = "dev.akua.registry.tag";
    static final int MAX_INDEX_BYTES = 64 * 1024 * 1024;
    private static final Pattern BLOB = Pattern.compile("blobs/(sha256|sha512)/([0-9a-f]+)");

    private OciArchive() {
    }

    /**
     * One descriptor of {@code index.json}: a manifest of a repository, tagged or not.
     *
     * @param tag null for an untagged (referrer) manifest
     */
    record Entry(RepositoryName repository, Tag tag, Digest digest, String mediaType, long size) {
        Entry {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(mediaType, "mediaType");
        }
    }

    static JsonMapper json() {
        return JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()).build();
    }

    static byte[] layoutFile() {
        return ("{\"imageLayoutVersion\":\"" + LAYOUT_VERSION + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static String blobName(Digest digest) {
        return "blobs/" + digest.algorithm().id() + "/" + digest.hex();
    }

    /** The digest a tar entry name stands for, or null when the name is not {@code blobs/<alg>/<hex>}. */
    static Digest blobDigest(String name) {
        Matcher m = BLOB.matcher(name);
        if (!m.matches()) {
            return null;
        }
        try {
            return Digest.parse(m.group(1) + ":" + m.group(2));
        } catch (RuntimeException e) {
            return null;
        }
    }

    static byte[] index(JsonMapper json, List<Entry> entries) throws IOException {
        ObjectNode root = json.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = root.putArray("manifests");
        for (Entry e : entries) {
            ObjectNode d = manifests.addObject();
            d.put("mediaType", e.mediaType());
            d.put("digest", e.digest().toString());
            d.put("size", e.size());
            ObjectNode ann = d.putObject("annotations");
            ann.put(REPOSITORY, e.repository().value());
            if (e.tag() != null) {
                ann.put(TAG, e.tag().value());
                ann.put(REF_NAME, e.repository().value() + ":" + e.tag().value());
            }
        }
        return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /**
     * Reads {@code index.json}. Descriptors without the repository annotation (archives written by
     * other tools) go into {@code foreignRepository} under the tag their {@code ref.name} gives; without
     * such a repository they are an error.
     */
    static List<Entry> readIndex(JsonMapper json, byte[] raw, RepositoryName foreignRepository, int maxEntries) throws IOException {
        JsonNode root;
        try {
            root = json.readTree(raw);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("index.json is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || root.path("schemaVersion").asInt() != 2 || !root.path("manifests").isArray()) {
            throw new IOException("index.json is not an OCI image index (schemaVersion 2 with manifests)");
        }
        if (root.get("manifests").size() > maxEntries) {
            throw new IOException("index.json lists more than " + maxEntries + " manifests");
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode d : root.get("manifests")) {
            String at = "index.json manifests[" + i++ + "]";
            String mediaType = d.path("mediaType").asText("");
            if (mediaType.isEmpty()) {
                throw new IOException(at + " has no mediaType");
            }
            Digest digest;
            try {
                digest = Digest.parse(d.path("digest").asText(""));
            } catch (RuntimeException e) {
                throw new IOException(at + " has no valid digest", e);
            }
            if (!d.path("size").canConvertToLong() || d.path("size").asLong() < 0) {
                throw new IOException(at + " has no valid size");
            }
            JsonNode ann = d.path("annotations");
            RepositoryName repository;
            Tag tag = null;
            try {
                if (ann.hasNonNull(REPOSITORY)) {
                    repository = RepositoryName.parse(ann.get(REPOSITORY).asText());
                    if (ann.hasNonNull(TAG)) {
                        tag = Tag.parse(ann.get(TAG).asText());
                    }
                } else {
                    if (foreignRepository == null) {
                        throw new IOException(at + " names no repository (" + REPOSITORY + "); import it with --repository NAME");
                    }
                    repository = foreignRepository;
                    String ref = ann.path(REF_NAME).asText("");
                    String t = ref.contains(":") ? ref.substring(ref.lastIndexOf(':') + 1) : ref;
                    if (!t.isEmpty()) {
                        tag = Tag.parse(t);
                    }
                }
            } catch (IOException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IOException(at + ": " + e.getMessage(), e);
            }
            Entry entry = new Entry(repository, tag, digest, mediaType, d.get("size").asLong());
            Entry earlier = out.putIfAbsent(repository + " " + (tag == null ? "@" + digest : tag.value()), entry);
            if (earlier != null && !earlier.digest().equals(digest)) {
                throw new IOException(at + " tags " + repository + ":" + tag + " again, with another digest");
            }
        }
        return new ArrayList<>(out.values());
    }
}
