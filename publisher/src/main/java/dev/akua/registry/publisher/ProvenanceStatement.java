package dev.akua.registry.publisher;

import dev.akua.registry.signing.dsse.Statements;
import dev.akua.registry.signing.wire.WireJson;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SLSA v1 provenance of a publication (an in-toto statement, written by the signing module in
 * akua's field order, wire contract §3.5):
 * <ul>
 * <li>subject: {@code <registry host>/<repository>} with the published manifest's digest (what akua
 *     names its own attestation subjects);</li>
 * <li>buildType {@value #BUILD_TYPE};</li>
 * <li>externalParameters: {@code ociRef}, {@code tag}, {@code as}, {@code name}, {@code version},
 *     {@code sourceRef} (when given), {@code archiveDigest} (the uploaded tar.gz as received);</li>
 * <li>resolvedDependencies: {@code source-package} (the akua package digest, with the source
 *     reference as uri when given) and {@code rendered-manifests} (the rendered input's digest,
 *     {@link RenderedInput#renderedDigest()});</li>
 * <li>runDetails.builder.id: the registry that built it.</li>
 * </ul>
 */
public final class ProvenanceStatement {
    /** What kind of build this records: a registry wrapping rendered manifests into a distribution shape. */
    public static final String BUILD_TYPE = "https://akua.dev/slsa/publish-as/v1";
    public static final String SOURCE_PACKAGE = "source-package";
    public static final String RENDERED_MANIFESTS = "rendered-manifests";

    private final Statements statements = new Statements(new WireJson());

    /**
     * @param repositoryReference {@code <registry host[:port]>/<repository>}, no scheme, tag or digest
     * @param builderId           the registry's identity as a URI (its public URL)
     */
    public byte[] statement(Publication publication, String repositoryReference, String builderId) {
        Objects.requireNonNull(repositoryReference, "repositoryReference");
        Objects.requireNonNull(builderId, "builderId");
        PublishRequest r = publication.request();
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("ociRef", "oci://" + repositoryReference);
        parameters.put("tag", publication.tag().value());
        parameters.put("as", r.shape().wireName());
        parameters.put("name", r.name());
        parameters.put("version", r.version());
        if (r.sourceRef() != null) {
            parameters.put("sourceRef", r.sourceRef());
        }
        parameters.put("archiveDigest", publication.input().archiveDigest().toString());
        List<Statements.Provenance.Dependency> dependencies = List.of(
                Statements.Provenance.Dependency.fromLock(SOURCE_PACKAGE, r.sourceDigest().toString(), r.sourceRef()),
                Statements.Provenance.Dependency.fromLock(RENDERED_MANIFESTS, publication.input().renderedDigest().toString(), null));
        return statements.slsaProvenance(new Statements.Provenance(repositoryReference, publication.manifest().digest(),
                BUILD_TYPE, parameters, dependencies, builderId));
    }
}
