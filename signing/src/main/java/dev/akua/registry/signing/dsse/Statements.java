package dev.akua.registry.signing.dsse;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.signing.wire.WireJson;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the in-toto statements this project signs: SLSA v1 provenance in akua's exact field order
 * (wire contract §3.5, akua {@code slsa.rs:28-113}) and the statement cosign v3 signs for an image
 * ({@code predicateType https://sigstore.dev/cosign/sign/v1}, empty predicate).
 */
public final class Statements {
    public static final String SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
    public static final String COSIGN_SIGN_V1 = "https://sigstore.dev/cosign/sign/v1";

    private final WireJson json;

    public Statements(WireJson json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * SLSA v1 provenance, compact, serde field order:
     * {@code _type, subject[{name, digest{<algo>}}], predicateType, predicate{buildDefinition{buildType,
     * externalParameters, resolvedDependencies?}, runDetails{builder{id}}}}. Empty
     * {@code resolvedDependencies} is left out, as akua does.
     */
    public byte[] slsaProvenance(Provenance p) {
        return json.writePlain(g -> {
            g.writeStartObject();
            g.writeStringField("_type", InTotoStatement.STATEMENT_V1);
            writeSubject(g, p.subjectName(), p.subjectDigest());
            g.writeStringField("predicateType", SLSA_PROVENANCE_V1);
            g.writeObjectFieldStart("predicate");
            g.writeObjectFieldStart("buildDefinition");
            g.writeStringField("buildType", p.buildType());
            g.writeObjectFieldStart("externalParameters");
            for (Map.Entry<String, String> e : p.externalParameters().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            if (!p.resolvedDependencies().isEmpty()) {
                g.writeArrayFieldStart("resolvedDependencies");
                for (Provenance.Dependency d : p.resolvedDependencies()) {
                    g.writeStartObject();
                    g.writeStringField("name", d.name());
                    g.writeObjectFieldStart("digest");
                    g.writeStringField(d.digestAlgorithm(), d.digestValue());
                    g.writeEndObject();
                    if (d.uri() != null) {
                        g.writeStringField("uri", d.uri());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("runDetails");
            g.writeObjectFieldStart("builder");
            g.writeStringField("id", p.builderId());
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** The statement cosign v3 signs for an image: subject = the manifest digest, empty predicate. */
    public byte[] cosignSign(String subjectName, Digest subject) {
        return json.writeGoStyle(g -> {
            g.writeStartObject();
            g.writeStringField("_type", InTotoStatement.STATEMENT_V1);
            writeSubject(g, subjectName, subject);
            g.writeStringField("predicateType", COSIGN_SIGN_V1);
            g.writeObjectFieldStart("predicate");
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void writeSubject(com.fasterxml.jackson.core.JsonGenerator g, String name, Digest digest) throws java.io.IOException {
        g.writeArrayFieldStart("subject");
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeObjectFieldStart("digest");
        g.writeStringField(digest.algorithm().id(), digest.hex());
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
    }

    /**
     * Inputs of a SLSA v1 provenance statement.
     *
     * @param subjectName          the subject's name (akua: the ref without {@code oci://})
     * @param subjectDigest        the manifest digest
     * @param buildType            e.g. {@code https://akua.dev/slsa/publish/v1}
     * @param externalParameters   written in iteration order (akua: {@code ociRef}, {@code tag}); pass a LinkedHashMap
     * @param resolvedDependencies may be empty
     * @param builderId            e.g. {@code https://akua.dev/cli/v0.8.5}
     */
    public record Provenance(String subjectName, Digest subjectDigest, String buildType,
                             Map<String, String> externalParameters, List<Dependency> resolvedDependencies,
                             String builderId) {
        public Provenance {
            Objects.requireNonNull(subjectName, "subjectName");
            Objects.requireNonNull(subjectDigest, "subjectDigest");
            Objects.requireNonNull(buildType, "buildType");
            Objects.requireNonNull(builderId, "builderId");
            externalParameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(externalParameters));
            resolvedDependencies = List.copyOf(resolvedDependencies);
        }

        /**
         * A resolved dependency. akua splits the lock digest at the first {@code :}, so a git pin
         * {@code git:<sha1>} becomes {@code {"git":"<sha1>"}}.
         */
        public record Dependency(String name, String digestAlgorithm, String digestValue, String uri) {
            public Dependency {
                Objects.requireNonNull(name, "name");
                Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
                Objects.requireNonNull(digestValue, "digestValue");
            }

            /** From an akua.lock digest string such as {@code sha256:<hex>} or {@code git:<sha1>}. */
            public static Dependency fromLock(String name, String lockDigest, String uri) {
                int colon = lockDigest.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("lock digest must be <algo>:<value>: " + lockDigest);
                }
                return new Dependency(name, lockDigest.substring(0, colon), lockDigest.substring(colon + 1), uri);
            }
        }
    }
}
