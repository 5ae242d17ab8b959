package dev.akua.registry.signing.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;
import dev.akua.registry.signing.dsse.Dsse;
import dev.akua.registry.signing.dsse.InTotoStatement;
import dev.akua.registry.signing.key.VerificationKey;
import dev.akua.registry.signing.wire.WireFormatException;
import dev.akua.registry.signing.wire.WireJson;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.rekor.client.RekorEntry;
import dev.sigstore.strings.RegexSyntaxException;
import dev.sigstore.strings.StringMatcher;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DEROctetString;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies a Sigstore bundle (the layer of an OCI 1.1 referrer with artifactType
 * {@code application/vnd.dev.sigstore.bundle.v0.3+json}) against a subject manifest digest.
 *
 * <p><b>Keyless bundles</b> (a Fulcio certificate) are verified with sigstore-java's
 * {@link dev.sigstore.KeylessVerifier} built on the configured trusted root, fully offline. It checks:
 * the certificate chains to a configured CA valid at the certificate's notBefore (PKIX, no
 * revocation); the leaf carries a valid embedded SCT from a configured CT log; the certificate's
 * SAN and issuer match one of the policy's identities; the signature (DSSE over the PAE, or the
 * message signature over the subject digest); for DSSE, the statement names the subject; the
 * transparency-log body is consistent with the bundle; the inclusion proof against the checkpoint's
 * root hash; the checkpoint signature with the log key; the inclusion promise (SET) when present;
 * RFC 3161 timestamps when present (including certificate validity at their time).
 *
 * <p>sigstore-java 2.0.0 does <em>not</em> check that the certificate was valid when the signature
 * was logged (it validates the chain at notBefore and checks validity only at RFC 3161 times). This
 * class adds that check: the certificate must be valid at the Rekor integrated time the inclusion
 * promise (SET) vouches for. A bundle with neither a promise nor an RFC 3161 timestamp is refused
 * (sigstore-java already refuses it when reading; cosign would fall back to the current time, we
 * do not, since a short-lived certificate proves nothing without a signed time).
 *
 * <p><b>Key-based bundles</b> ({@code verificationMaterial.publicKey}, what cosign writes with
 * {@code --key} and no transparency log) are refused by sigstore-java's bundle reader ("Plain public
 * keys are not supported"), so they are checked here: the DSSE signature against the policy's
 * trusted keys and the statement's subject. Their transparency-log entries, if any, are not checked.
 * Key-based message-signature bundles are not supported (cosign writes DSSE bundles for images).
 */
public final class BundleVerifier {
    public static final String BUNDLE_MEDIA_TYPE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private static final Set<String> MEDIA_TYPES = Set.of(BUNDLE_MEDIA_TYPE_V03,
            "application/vnd.dev.sigstore.bundle+json;version=0.1",
            "application/vnd.dev.sigstore.bundle+json;version=0.2",
            "application/vnd.dev.sigstore.bundle+json;version=0.3");
    private static final String FULCIO_ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
    private static final String FULCIO_ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
    private static final int MAX_DSSE_SIGNATURES = 16;
    static final String NO_SIGNED_TIME = "bundle has no signed timestamp (no inclusion promise, no RFC 3161 timestamp),"
            + " so nothing proves the certificate was valid when it signed";

    private final WireJson json;
    private final KeylessTrust trust;

    /**
     * @param trust the configured trusted root, or null when none is configured (keyless bundles
     *              are then reported as not verifiable)
     */
    public BundleVerifier(WireJson json, KeylessTrust trust) {
        this.json = Objects.requireNonNull(json, "json");
        this.trust = trust;
    }

    public BundleCheck verify(byte[] bundleBytes, Digest subject, List<VerificationKey> keys, List<IdentityRule> identities) {
        JsonNode root;
        try {
            root = json.parseObject(bundleBytes, "Sigstore bundle");
        } catch (WireFormatException e) {
            return BundleCheck.failed(e.getMessage(), false, null);
        }
        String mediaType = root.path("mediaType").asText("");
        if (!MEDIA_TYPES.contains(mediaType)) {
            return BundleCheck.failed("unsupported bundle mediaType " + (mediaType.isEmpty() ? "(missing)" : mediaType), false, null);
        }
        JsonNode material = root.path("verificationMaterial");
        boolean dsse = root.has("dsseEnvelope");
        if (!dsse && !root.has("messageSignature")) {
            return BundleCheck.failed("bundle has neither a DSSE envelope nor a message signature", false, null);
        }
        String predicateType = null;
        Dsse.Envelope envelope = null;
        if (dsse) {
            try {
                envelope = new Dsse(json).parse(json.mapper().writeValueAsBytes(root.get("dsseEnvelope")), MAX_DSSE_SIGNATURES);
            } catch (WireFormatException e) {
                return BundleCheck.failed(e.getMessage(), true, null);
            } catch (Exception e) {
                return BundleCheck.failed("DSSE envelope could not be read", true, null);
            }
            if (!Dsse.IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
                return BundleCheck.failed("DSSE payloadType is " + envelope.payloadType() + ", expected " + Dsse.IN_TOTO_PAYLOAD_TYPE, true, null);
            }
            InTotoStatement statement;
            try {
                statement = InTotoStatement.parse(json, envelope.payload());
            } catch (WireFormatException e) {
                return BundleCheck.failed(e.getMessage(), true, null);
            }
            predicateType = statement.predicateType();
            if (!statement.hasSubject(subject)) {
                return BundleCheck.failed("statement subjects do not include " + subject, true, predicateType);
            }
        }
        if (material.has("publicKey")) {
            return verifyKeyed(material, envelope, predicateType, keys);
        }
        if (material.has("certificate") || material.has("x509CertificateChain")) {
            return verifyKeyless(bundleBytes, subject, dsse, predicateType, identities);
        }
        return BundleCheck.failed("bundle has no certificate and no public key", dsse, predicateType);
    }

    private BundleCheck verifyKeyed(JsonNode material, Dsse.Envelope envelope, String predicateType, List<VerificationKey> keys) {
        String hint = material.path("publicKey").path("hint").asText(null);
        if (envelope == null) {
            return BundleCheck.failed("message-signature bundles signed with a public key are not supported", false, null);
        }
        if (keys.isEmpty()) {
            return BundleCheck.failed("the policy trusts no public keys", true, predicateType);
        }
        Dsse.Verified verified = Dsse.verify(envelope, keys);
        if (!verified.ok()) {
            return new BundleCheck(false, verified.reason(), true, predicateType, null, hint, null, null, null, null);
        }
        return new BundleCheck(true, null, true, predicateType, verified.key().fingerprint(), hint, null, null, null, null);
    }

    private BundleCheck verifyKeyless(byte[] bundleBytes, Digest subject, boolean dsse, String predicateType, List<IdentityRule> identities) {
        if (trust == null) {
            return BundleCheck.failed("keyless bundle, but no trusted root is configured", dsse, predicateType);
        }
        if (identities.isEmpty()) {
            return BundleCheck.failed("keyless bundle, but the policy trusts no keyless identities", dsse, predicateType);
        }
        if (subject.algorithm() != DigestAlgorithm.SHA256) {
            return BundleCheck.failed("keyless bundles are verified for sha256 subjects only", dsse, predicateType);
        }
        Bundle bundle;
        try {
            bundle = Bundle.from(new StringReader(new String(bundleBytes, StandardCharsets.UTF_8)));
        } catch (BundleParseException | RuntimeException e) {
            String reason = oneLine(e);
            if (reason.startsWith("No timestamp verification")) {
                // sigstore-java refuses, when reading, a bundle with neither an inclusion promise nor an
                // RFC 3161 timestamp: nothing then proves the short-lived certificate was valid at signing.
                return BundleCheck.failed(NO_SIGNED_TIME, dsse, predicateType);
            }
            return BundleCheck.failed("bundle could not be read: " + reason, dsse, predicateType);
        }
        X509Certificate leaf = (X509Certificate) bundle.getCertPath().getCertificates().get(0);
        String certSubject = subjectAlternativeName(leaf);
        String certIssuer = oidcIssuer(leaf);
        var options = VerificationOptions.builder();
        try {
            for (IdentityRule rule : identities) {
                options.addCertificateMatchers(VerificationOptions.CertificateMatcher.fulcio()
                        .issuer(rule.issuer() != null ? StringMatcher.string(rule.issuer()) : StringMatcher.regex(rule.issuerRegex()))
                        .subjectAlternativeName(rule.subject() != null ? StringMatcher.string(rule.subject()) : StringMatcher.regex(rule.subjectRegex()))
                        .build());
            }
        } catch (RegexSyntaxException e) {
            // IdentityRule compiles its patterns with the same java.util.regex, so this is unreachable.
            return BundleCheck.failed("identity pattern is invalid: " + oneLine(e), dsse, predicateType);
        }
        try {
            trust.verifier().verify(HexFormat.of().parseHex(subject.hex()), bundle, options.build());
        } catch (KeylessVerificationException e) {
            String reason = oneLine(e);
            if (reason.startsWith("No provided certificate identities matched")) {
                reason = "certificate identity " + certSubject + " (issuer " + certIssuer + ") matches no trusted identity";
            }
            return new BundleCheck(false, reason, dsse, predicateType, null, null, certSubject, certIssuer, null, null);
        } catch (RuntimeException e) {
            return new BundleCheck(false, "bundle could not be verified: " + oneLine(e), dsse, predicateType,
                    null, null, certSubject, certIssuer, null, null);
        }
        // sigstore-java verified the SET (when present) and the RFC 3161 timestamps (when present, with
        // the certificate's validity at their time). What remains is the certificate's validity at the
        // integrated time the SET vouches for.
        RekorEntry entry = bundle.getEntries().get(0);
        Long logIndex = entry.getLogIndex();
        String set = entry.getVerification().getSignedEntryTimestamp();
        boolean hasPromise = set != null && !set.isEmpty();
        Instant signedAt = hasPromise ? entry.getIntegratedTimeInstant() : null;
        if (hasPromise) {
            try {
                leaf.checkValidity(Date.from(signedAt));
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                return new BundleCheck(false, "certificate was not valid at the log's integrated time " + signedAt
                        + " (valid " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ")",
                        dsse, predicateType, null, null, certSubject, certIssuer, null, logIndex);
            }
        } else if (bundle.getTimestamps().isEmpty()) {
            // Unreachable with sigstore-java 2.0.0, which refuses such bundles when reading them; kept so
            // that a future reader that accepts them cannot make this verifier fail open.
            return new BundleCheck(false, NO_SIGNED_TIME, dsse, predicateType, null, null, certSubject, certIssuer, null, logIndex);
        }
        return new BundleCheck(true, null, dsse, predicateType, null, null, certSubject, certIssuer, signedAt, logIndex);
    }

    /** The single email or URI SAN of a Fulcio certificate, or null. */
    static String subjectAlternativeName(X509Certificate cert) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) {
                return null;
            }
            List<String> values = new ArrayList<>();
            for (List<?> san : sans) {
                Integer type = (Integer) san.get(0);
                if ((type == 1 || type == 6) && san.get(1) instanceof String s) {
                    values.add(s);
                }
            }
            return values.size() == 1 ? values.get(0) : values.isEmpty() ? null : String.join(",", values);
        } catch (CertificateParsingException e) {
            return null;
        }
    }

    /** The OIDC issuer Fulcio records: OID .1.8 (DER UTF8String), else the older .1.1 (raw bytes). */
    static String oidcIssuer(X509Certificate cert) {
        try {
            byte[] v2 = cert.getExtensionValue(FULCIO_ISSUER_V2);
            if (v2 != null) {
                byte[] inner = DEROctetString.getInstance(v2).getOctets();
                if (ASN1Primitive.fromByteArray(inner) instanceof ASN1String s) {
                    return s.getString();
                }
            }
            byte[] v1 = cert.getExtensionValue(FULCIO_ISSUER_V1);
            if (v1 != null) {
                return new String(DEROctetString.getInstance(v1).getOctets(), StandardCharsets.UTF_8);
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
