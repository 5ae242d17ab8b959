package dev.akua.registry.publisher.helm;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.publisher.archive.DeterministicTarGz;
import dev.akua.registry.signing.wire.WireJson;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Helm chart wrapping rendered manifests, and the OCI manifest {@code helm push} would write for it.
 *
 * <p>The chart: {@code <name>/Chart.yaml} (apiVersion v2, name, version, description, type
 * application, the given annotations), {@code <name>/values.yaml} (a comment: the chart takes no
 * values), and {@code <name>/templates/<file>} per manifest, escaped by {@link TemplateText}. The
 * archive comes from {@link DeterministicTarGz}.
 *
 * <p>The OCI form follows Helm 3's registry client ({@code pkg/registry}): config
 * {@code application/vnd.cncf.helm.config.v1+json} holding Chart.yaml's metadata as JSON in the
 * field order of Helm's {@code chart.Metadata} struct (Go {@code encoding/json}, empty fields left
 * out), one layer {@code application/vnd.cncf.helm.chart.content.v1.tar+gzip}, and the manifest
 * annotations Helm sets: {@code org.opencontainers.image.created}, {@code .description} (when not
 * empty), {@code .title} (the chart name), {@code .version}, plus every Chart.yaml annotation.
 */
public final class HelmChart {
    public static final String CONFIG_MEDIA_TYPE = MediaTypes.HELM_CONFIG;
    public static final String CONTENT_MEDIA_TYPE = MediaTypes.HELM_CHART_CONTENT;

    /** A template to include. */
    public record Template(String fileName, String manifest) {
        public Template {
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(manifest, "manifest");
        }
    }

    /**
     * The built chart.
     *
     * @param chartYaml the Chart.yaml text
     * @param archive   the chart .tgz
     * @param config    the OCI config blob
     * @param manifest  the OCI image manifest
     */
    public record Built(String chartYaml, byte[] archive, byte[] config, byte[] manifest) {
    }

    private final WireJson json;

    public HelmChart(WireJson json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * @param annotations Chart.yaml annotations (also copied to the OCI manifest, as helm push does)
     * @param created     RFC 3339 time for {@code org.opencontainers.image.created}
     */
    public Built build(String name, String version, String description, Map<String, String> annotations,
                       String created, List<Template> templates) {
        Map<String, String> sortedAnnotations = new TreeMap<>(annotations);
        String chartYaml = chartYaml(name, version, description, sortedAnnotations);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(name + "/Chart.yaml", chartYaml.getBytes(StandardCharsets.UTF_8));
        files.put(name + "/values.yaml", ("# " + name + " wraps rendered Kubernetes manifests; it takes no values.\n")
                .getBytes(StandardCharsets.UTF_8));
        for (Template t : templates) {
            files.put(name + "/templates/" + t.fileName(), TemplateText.escape(t.manifest()).getBytes(StandardCharsets.UTF_8));
        }
        byte[] archive = DeterministicTarGz.write(files);
        byte[] config = config(name, version, description, sortedAnnotations);

        Map<String, String> manifestAnnotations = new TreeMap<>(sortedAnnotations);
        manifestAnnotations.put("org.opencontainers.image.created", created);
        if (!description.isEmpty()) {
            manifestAnnotations.put("org.opencontainers.image.description", description);
        }
        manifestAnnotations.put("org.opencontainers.image.title", name);
        manifestAnnotations.put("org.opencontainers.image.version", version);
        byte[] manifest = json.writeGoStyle(g -> {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", 2);
            g.writeStringField("mediaType", MediaTypes.OCI_MANIFEST);
            g.writeObjectFieldStart("config");
            descriptor(g, CONFIG_MEDIA_TYPE, config);
            g.writeEndObject();
            g.writeArrayFieldStart("layers");
            g.writeStartObject();
            descriptor(g, CONTENT_MEDIA_TYPE, archive);
            g.writeEndObject();
            g.writeEndArray();
            g.writeObjectFieldStart("annotations");
            for (Map.Entry<String, String> e : manifestAnnotations.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        });
        return new Built(chartYaml, archive, config, manifest);
    }

    /** Go's ocispec.Descriptor field order: mediaType, digest, size. */
    private static void descriptor(com.fasterxml.jackson.core.JsonGenerator g, String mediaType, byte[] content) throws java.io.IOException {
        g.writeStringField("mediaType", mediaType);
        g.writeStringField("digest", Digest.sha256(content).toString());
        g.writeNumberField("size", content.length);
    }

    /** Every value double-quoted with JSON escapes (valid YAML), so no value can be read as another type. */
    static String chartYaml(String name, String version, String description, Map<String, String> annotations) {
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: v2\n");
        y.append("name: ").append(quote(name)).append('\n');
        y.append("version: ").append(quote(version)).append('\n');
        if (!description.isEmpty()) {
            y.append("description: ").append(quote(description)).append('\n');
        }
        y.append("type: application\n");
        if (!annotations.isEmpty()) {
            y.append("annotations:\n");
            for (Map.Entry<String, String> e : annotations.entrySet()) {
                y.append("  ").append(quote(e.getKey())).append(": ").append(quote(e.getValue())).append('\n');
            }
        }
        return y.toString();
    }

    private static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    /**
     * Chart.yaml as Helm's {@code json.Marshal(chart.Metadata)}: name, version, description,
     * apiVersion, annotations (keys sorted), type; the other fields are empty and left out.
     */
    private byte[] config(String name, String version, String description, Map<String, String> annotations) {
        return json.writeGoStyle(g -> {
            g.writeStartObject();
            g.writeStringField("name", name);
            g.writeStringField("version", version);
            if (!description.isEmpty()) {
                g.writeStringField("description", description);
            }
            g.writeStringField("apiVersion", "v2");
            if (!annotations.isEmpty()) {
                g.writeObjectFieldStart("annotations");
                for (Map.Entry<String, String> e : annotations.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeStringField("type", "application");
            g.writeEndObject();
        });
    }
}
