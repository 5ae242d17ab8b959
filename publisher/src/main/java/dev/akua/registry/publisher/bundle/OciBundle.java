package dev.akua.registry.publisher.bundle;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.signing.wire.WireJson;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The oci-bundle shape: an OCI 1.1 artifact (image-spec "Guidelines for Artifact Usage") carrying
 * rendered manifests as files. docs/publishing.md is the specification; in short:
 * <ul>
 * <li>an image manifest with {@code artifactType} {@value #ARTIFACT_TYPE};</li>
 * <li>a config blob {@value #CONFIG_MEDIA_TYPE}: the metadata (name, version, description, created,
 *     source reference and digest, rendered digest, and one entry per file with its resource);</li>
 * <li>one layer per manifest file, in render order, media type {@value #LAYER_MEDIA_TYPE}, the
 *     file's exact bytes, annotated with {@code org.opencontainers.image.title} = the file name, so
 *     generic clients (oras pull) write the files back out under their names;</li>
 * <li>manifest annotations: {@code org.opencontainers.image.created/.title/.version/.description}
 *     and the {@code dev.akua.*} source annotations.</li>
 * </ul>
 * All JSON is compact with a fixed field order, so the same input gives the same digest.
 */
public final class OciBundle {
    public static final String ARTIFACT_TYPE = "application/vnd.akua.bundle.v1";
    public static final String CONFIG_MEDIA_TYPE = "application/vnd.akua.bundle.config.v1+json";
    public static final String LAYER_MEDIA_TYPE = "application/vnd.akua.bundle.manifest.v1+yaml";

    /** One manifest file and the resource in it. */
    public record File(String name, byte[] content, String apiVersion, String kind, String resourceName, String namespace) {
        public File {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(content, "content");
        }
    }

    /** Bundle metadata (the config blob's top-level fields). */
    public record Metadata(String name, String version, String description, String created, String sourceRef,
                           String sourceDigest, String renderedDigest) {
    }

    /** The config blob and the manifest; the layers are the files' own bytes. */
    public record Built(byte[] config, byte[] manifest) {
    }

    private final WireJson json;

    public OciBundle(WireJson json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    public Built build(Metadata meta, Map<String, String> sourceAnnotations, List<File> files) {
        byte[] config = json.writeGoStyle(g -> {
            g.writeStartObject();
            g.writeStringField("name", meta.name());
            g.writeStringField("version", meta.version());
            if (!meta.description().isEmpty()) {
                g.writeStringField("description", meta.description());
            }
            g.writeStringField("created", meta.created());
            g.writeObjectFieldStart("source");
            if (meta.sourceRef() != null) {
                g.writeStringField("reference", meta.sourceRef());
            }
            g.writeStringField("digest", meta.sourceDigest());
            g.writeEndObject();
            g.writeStringField("renderedDigest", meta.renderedDigest());
            g.writeArrayFieldStart("files");
            for (File f : files) {
                g.writeStartObject();
                g.writeStringField("name", f.name());
                g.writeStringField("apiVersion", f.apiVersion());
                g.writeStringField("kind", f.kind());
                g.writeStringField("resourceName", f.resourceName());
                if (f.namespace() != null) {
                    g.writeStringField("namespace", f.namespace());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        Map<String, String> annotations = new TreeMap<>(sourceAnnotations);
        annotations.put("org.opencontainers.image.created", meta.created());
        if (!meta.description().isEmpty()) {
            annotations.put("org.opencontainers.image.description", meta.description());
        }
        annotations.put("org.opencontainers.image.title", meta.name());
        annotations.put("org.opencontainers.image.version", meta.version());
        byte[] manifest = json.writeGoStyle(g -> {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", 2);
            g.writeStringField("mediaType", MediaTypes.OCI_MANIFEST);
            g.writeStringField("artifactType", ARTIFACT_TYPE);
            g.writeObjectFieldStart("config");
            descriptor(g, CONFIG_MEDIA_TYPE, config);
            g.writeEndObject();
            g.writeArrayFieldStart("layers");
            for (File f : files) {
                g.writeStartObject();
                descriptor(g, LAYER_MEDIA_TYPE, f.content());
                g.writeObjectFieldStart("annotations");
                g.writeStringField("org.opencontainers.image.title", f.name());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("annotations");
            for (Map.Entry<String, String> e : annotations.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        });
        return new Built(config, manifest);
    }

    private static void descriptor(JsonGenerator g, String mediaType, byte[] content) throws IOException {
        g.writeStringField("mediaType", mediaType);
        g.writeStringField("digest", Digest.sha256(content).toString());
        g.writeNumberField("size", content.length);
    }
}
