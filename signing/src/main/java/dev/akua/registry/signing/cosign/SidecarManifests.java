package dev.akua.registry.signing.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.signing.wire.WireFormatException;
import dev.akua.registry.signing.wire.WireJson;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code .sig} and {@code .att} sidecar manifests of cosign's tag convention.
 *
 * <p>A new sidecar is written in akua 0.8.5's compact form (wire contract §3.3): an OCI image
 * manifest whose config is the 2-byte {@code {}} blob typed {@code application/vnd.oci.image.config.v1+json},
 * one layer per signature, keys in the order akua and go-containerregistry use (mediaType, size,
 * digest, annotations). Appending follows cosign ({@code mutate.AppendSignatures}, which is
 * go-containerregistry's {@code mutate.Append}): existing layers stay as they are, in order, and the
 * new layer goes last. When the config is cosign's image config (it has {@code rootfs}), its
 * {@code rootfs.diff_ids} and {@code history} grow by one entry as go-containerregistry does; akua's
 * {@code {}} config is kept, so an akua sidecar keeps akua's shape.
 */
public final class SidecarManifests {
    /** The 2-byte empty JSON config blob and its digest (wire contract §3.3). */
    public static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.US_ASCII);
    public static final Digest EMPTY_CONFIG_DIGEST = Digest.sha256(EMPTY_CONFIG);
    /** go-containerregistry marshals a zero {@code v1.History} as this entry. */
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private final WireJson json;

    public SidecarManifests(WireJson json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /** {@code sha256-<hex>.sig}: the tag cosign and akua store signatures of {@code subject} under. */
    public static Tag signatureTag(Digest subject) {
        return new Tag(subject.tagForm() + ".sig");
    }

    /** {@code sha256-<hex>.att}: the tag cosign and akua store attestations of {@code subject} under. */
    public static Tag attestationTag(Digest subject) {
        return new Tag(subject.tagForm() + ".att");
    }

    /** A new sidecar manifest holding {@code layers}, in akua's exact compact form. */
    public byte[] build(List<SidecarLayer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a sidecar needs at least one layer");
        }
        return json.writeGoStyle(g -> {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", 2);
            g.writeStringField("mediaType", MediaTypes.OCI_MANIFEST);
            g.writeObjectFieldStart("config");
            g.writeStringField("mediaType", MediaTypes.OCI_CONFIG);
            g.writeNumberField("size", EMPTY_CONFIG.length);
            g.writeStringField("digest", EMPTY_CONFIG_DIGEST.toString());
            g.writeEndObject();
            g.writeArrayFieldStart("layers");
            for (SidecarLayer layer : layers) {
                g.writeStartObject();
                g.writeStringField("mediaType", layer.mediaType());
                g.writeNumberField("size", layer.size());
                g.writeStringField("digest", layer.digest().toString());
                if (!layer.annotations().isEmpty()) {
                    g.writeObjectFieldStart("annotations");
                    for (Map.Entry<String, String> e : layer.annotations().entrySet()) {
                        g.writeStringField(e.getKey(), e.getValue());
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * {@code existing} with {@code layer} appended.
     *
     * @param existing       the current sidecar manifest bytes
     * @param existingConfig the bytes of its config blob when that is not the {@code {}} blob, or null
     *                       if they could not be read (the config descriptor is then kept)
     * @return the new manifest, and a new config blob to push when the config changed
     */
    public Appended append(byte[] existing, byte[] existingConfig, SidecarLayer layer) {
        JsonNode parsed = json.parseObject(existing, "existing sidecar manifest");
        ObjectNode root = (ObjectNode) parsed;
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray()) {
            throw new WireFormatException("existing sidecar manifest has no layers array");
        }
        ObjectNode added = ((ArrayNode) layersNode).addObject();
        added.put("mediaType", layer.mediaType());
        added.put("size", layer.size());
        added.put("digest", layer.digest().toString());
        if (!layer.annotations().isEmpty()) {
            ObjectNode ann = added.putObject("annotations");
            layer.annotations().forEach(ann::put);
        }
        byte[] newConfig = null;
        JsonNode config = root.get("config");
        if (config instanceof ObjectNode configNode && existingConfig != null
                && !EMPTY_CONFIG_DIGEST.toString().equals(configNode.path("digest").asText())) {
            newConfig = grownImageConfig(existingConfig, layer.digest());
            if (newConfig != null) {
                configNode.put("size", newConfig.length);
                configNode.put("digest", Digest.sha256(newConfig).toString());
            }
        }
        return new Appended(json.writeTreeGoStyle(root), newConfig);
    }

    /**
     * go-containerregistry's {@code mutate.Append} on an image config: one more diff_id (the layer is
     * stored uncompressed, so its diff_id is its digest) and one more zero-time history entry.
     * Returns null when the config is not an image config with {@code rootfs}.
     */
    private byte[] grownImageConfig(byte[] configBytes, Digest diffId) {
        JsonNode parsed;
        try {
            parsed = json.parseObject(configBytes, "sidecar config");
        } catch (WireFormatException e) {
            return null;
        }
        ObjectNode config = (ObjectNode) parsed;
        if (!(config.get("rootfs") instanceof ObjectNode rootfs)) {
            return null;
        }
        JsonNode diffIds = rootfs.get("diff_ids");
        ArrayNode ids = diffIds instanceof ArrayNode a ? a : rootfs.putArray("diff_ids");
        ids.add(diffId.toString());
        JsonNode history = config.get("history");
        ArrayNode entries = history instanceof ArrayNode h ? h : config.putArray("history");
        entries.addObject().put("created", ZERO_TIME);
        return json.writeTreeGoStyle(config);
    }

    /**
     * Result of an append.
     *
     * @param manifest the new sidecar manifest bytes
     * @param config   a new config blob to push before the manifest, or null when the config is unchanged
     */
    public record Appended(byte[] manifest, byte[] config) {
    }
}
