package dev.akua.registry.signing;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.akua.registry.signing.wire.WireJson;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The JSON form of a {@link VerificationReport}, the body of
 * {@code GET /api/v1/repositories/<name>/signatures/<digest>} and of the CLI's {@code --json} output:
 * <pre>{
 *   "repository": "acme/app", "digest": "sha256:…",
 *   "policy": "release" | null, "enforce": "pull" | "none", "policyMet": true, "summary": "…",
 *   "signatures":   [ FINDING… ],
 *   "attestations": [ FINDING… ]
 * }
 * FINDING = {"format": "cosign-simple-signing" | "dsse" | "sigstore-bundle", "source": "tag" | "referrer",
 *            "tag"?: "sha256-….sig", "manifestDigest"?: "sha256:…", "layer"?: 0, "verified": true,
 *            "signer"?: {"keyName"?, "keyFingerprint"?, "identity"?, "issuer"?},
 *            "predicateType"?: "…", "reason"?: "…"}</pre>
 * Optional members are left out when unknown; {@code reason} is present exactly when {@code verified} is false.
 */
public final class ReportJson {
    private final WireJson json;

    public ReportJson() {
        this.json = new WireJson();
    }

    public byte[] write(VerificationReport report) {
        Objects.requireNonNull(report, "report");
        return json.writePlain(g -> {
            g.writeStartObject();
            g.writeStringField("repository", report.repository().value());
            g.writeStringField("digest", report.subject().toString());
            if (report.policy() == null) {
                g.writeNullField("policy");
            } else {
                g.writeStringField("policy", report.policy());
            }
            g.writeStringField("enforce", report.enforcement() == Enforcement.PULL ? "pull" : "none");
            g.writeBooleanField("policyMet", report.policyMet());
            g.writeStringField("summary", report.summary());
            findings(g, "signatures", report.signatures());
            findings(g, "attestations", report.attestations());
            g.writeEndObject();
        });
    }

    private static void findings(JsonGenerator g, String field, List<Finding> findings) throws IOException {
        g.writeArrayFieldStart(field);
        for (Finding f : findings) {
            g.writeStartObject();
            g.writeStringField("format", f.format().wire());
            g.writeStringField("source", f.source().wire());
            if (f.tag() != null) {
                g.writeStringField("tag", f.tag());
            }
            if (f.manifestDigest() != null) {
                g.writeStringField("manifestDigest", f.manifestDigest().toString());
            }
            if (f.layer() >= 0) {
                g.writeNumberField("layer", f.layer());
            }
            g.writeBooleanField("verified", f.verified());
            if (f.signer() != null) {
                Signer s = f.signer();
                g.writeObjectFieldStart("signer");
                optional(g, "keyName", s.keyName());
                optional(g, "keyFingerprint", s.keyFingerprint());
                optional(g, "identity", s.identity());
                optional(g, "issuer", s.issuer());
                g.writeEndObject();
            }
            optional(g, "predicateType", f.predicateType());
            optional(g, "reason", f.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }
}
