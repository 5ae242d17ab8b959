package dev.akua.registry.publisher;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.publisher.bundle.OciBundle;
import dev.akua.registry.publisher.helm.HelmChart;
import dev.akua.registry.publisher.helm.TemplateText;
import dev.akua.registry.signing.BlobUpload;
import dev.akua.registry.signing.ManifestUpload;
import dev.akua.registry.signing.wire.WireJson;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Server-side {@code publish --as helm-chart | oci-bundle} (seed §5: "distribution shapes wrap the
 * rendered manifests at publish time"): reads the tar.gz of an akua render output with every limit
 * of {@link PublishLimits}, checks each file is one Kubernetes resource, and builds the chart or
 * bundle bytes. Same manifests and metadata → same bytes and digests, whatever the order, times or
 * owners inside the uploaded archive. Writes nothing: the registry stores the {@link Publication}
 * through its normal push path.
 */
public final class Publisher {
    private final RenderedInputReader reader;
    private final HelmChart helm;
    private final OciBundle bundle;

    public Publisher(PublishLimits limits) {
        WireJson json = new WireJson();
        this.reader = new RenderedInputReader(limits);
        this.helm = new HelmChart(json);
        this.bundle = new OciBundle(json);
    }

    /**
     * Reads and checks the archive and builds the artifact.
     *
     * @throws PublishRefusal when the request or the archive is not acceptable
     * @throws IOException    when reading {@code archive} itself fails
     */
    public Publication publish(PublishRequest request, InputStream archive) throws IOException {
        RenderedInput input = reader.read(archive);
        return switch (request.shape()) {
            case HELM_CHART -> helmChart(request, input);
            case OCI_BUNDLE -> ociBundle(request, input);
        };
    }

    private Publication helmChart(PublishRequest request, RenderedInput input) {
        List<HelmChart.Template> templates = new ArrayList<>();
        for (RenderedManifest m : input.manifests()) {
            String text = m.text();
            Optional<String> problem = TemplateText.unreproducible(text);
            if (problem.isPresent()) {
                throw new PublishRefusal(PublishRefusal.Kind.UNREPRODUCIBLE, m.fileName() + ": " + problem.get()
                        + "; publish it as an oci-bundle instead", m.fileName());
            }
            templates.add(new HelmChart.Template(m.fileName(), text));
        }
        HelmChart.Built chart = helm.build(request.name(), request.version(), request.description(),
                PublishAnnotations.source(request, input), PublishAnnotations.rfc3339(request.created()), templates);
        List<BlobUpload> blobs = List.of(
                blob(HelmChart.CONFIG_MEDIA_TYPE, chart.config()),
                blob(HelmChart.CONTENT_MEDIA_TYPE, chart.archive()));
        return new Publication(request, input, blobs, manifest(chart.manifest(), request), HelmChart.CONFIG_MEDIA_TYPE);
    }

    private Publication ociBundle(PublishRequest request, RenderedInput input) {
        List<OciBundle.File> files = new ArrayList<>();
        Map<Digest, BlobUpload> blobs = new LinkedHashMap<>();
        for (RenderedManifest m : input.manifests()) {
            files.add(new OciBundle.File(m.fileName(), m.content(), m.resource().apiVersion(), m.resource().kind(),
                    m.resource().name(), m.resource().namespace()));
        }
        OciBundle.Built built = bundle.build(new OciBundle.Metadata(request.name(), request.version(), request.description(),
                        PublishAnnotations.rfc3339(request.created()), request.sourceRef(), request.sourceDigest().toString(),
                        input.renderedDigest().toString()),
                PublishAnnotations.source(request, input), files);
        BlobUpload config = blob(OciBundle.CONFIG_MEDIA_TYPE, built.config());
        blobs.put(config.digest(), config);
        for (RenderedManifest m : input.manifests()) {
            BlobUpload layer = blob(OciBundle.LAYER_MEDIA_TYPE, m.content());
            blobs.putIfAbsent(layer.digest(), layer);
        }
        return new Publication(request, input, List.copyOf(blobs.values()), manifest(built.manifest(), request),
                OciBundle.ARTIFACT_TYPE);
    }

    private static BlobUpload blob(String mediaType, byte[] content) {
        return new BlobUpload(Digest.sha256(content), mediaType, content);
    }

    private static ManifestUpload manifest(byte[] bytes, PublishRequest request) {
        return new ManifestUpload(Digest.sha256(bytes), MediaTypes.OCI_MANIFEST, bytes, request.tag());
    }
}
