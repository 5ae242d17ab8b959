package dev.akua.registry.lockfile.oci;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.akua.registry.lockfile.CallerRegistry;
import dev.akua.registry.lockfile.error.LockException;
import dev.akua.registry.lockfile.helm.ChartArchive;
import dev.akua.registry.lockfile.lock.LockedPackage;
import dev.akua.registry.lockfile.manifest.Dependency;
import dev.akua.registry.lockfile.resolve.Requirement;
import dev.akua.registry.lockfile.resolve.ResolveContext;
import dev.akua.registry.lockfile.resolve.Resolved;
import dev.akua.registry.lockfile.resolve.VersionConstraint;
import dev.akua.registry.lockfile.signature.SignatureEvidence;
import dev.akua.registry.lockfile.signature.SignatureVerdict;
import dev.akua.registry.lockfile.signature.SignatureVerifier;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.Manifest;
import dev.akua.registry.oci.manifest.ManifestKind;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteException;
import dev.akua.registry.remote.oci.DigestMismatchException;
import dev.akua.registry.remote.oci.RegistryLogin;

/**
 * Resolves {@code { oci = "oci://host/repo", version = … }}: an exact tag, or the highest tag
 * satisfying a semver range (tags listed with {@code /tags/list}). The artifact must have the
 * shapes akua's fetcher recognises (wire contract §2.3): a Helm chart layer, or a KCL package
 * (manifest annotation {@code org.kcllang.package.name}, {@code org.kclpkg.package.name} or
 * {@code dev.akua.package.name} plus a plain-tar layer). The lock pins that layer's digest, as akua
 * does (§4.3), after downloading the layer and checking its bytes. Helm-chart layers also yield
 * their Chart.yaml dependencies.
 * <p>
 * Signatures: the cosign sidecar {@code sha256-<manifest hex>.sig} of the same repository is read
 * (§3.3) and judged by the {@link SignatureVerifier}. With {@code strict_signing} an unsigned or
 * unverified dependency fails naming it; without, the entry carries no {@code signature} and the
 * report carries a note.
 */
public final class OciResolver {
    static final Set<String> KCL_ANNOTATIONS = Set.of("org.kcllang.package.name", "org.kclpkg.package.name", "dev.akua.package.name");
    static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    private static final long MAX_LAYER_BYTES = 256L << 20;
    private static final int MAX_SIGNATURES = 16;
    private static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    private static final int MAX_BUNDLE_BYTES = 1024 * 1024;
    /** Sigstore bundle v0.3, the artifactType and layer media type cosign v3 stores bundles under. */
    static final String SIGSTORE_BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";

    private final RemoteClient remote;
    private final SignatureVerifier verifier;
    private final ChartArchive archives;
    private final Map<String, RegistryLogin> registryLogins;

    /** @param registryLogins configured credentials per registry {@code host[:port]} (lower case) */
    public OciResolver(RemoteClient remote, SignatureVerifier verifier, ChartArchive archives, Map<String, RegistryLogin> registryLogins) {
        this.remote = remote;
        this.verifier = verifier;
        this.archives = archives;
        this.registryLogins = Map.copyOf(registryLogins);
    }

    public Resolved resolve(Dependency.Oci dep, ResolveContext ctx) throws LockException {
        String name = dep.name();
        OciRef ref;
        VersionConstraint constraint;
        try {
            ref = OciRef.parse(dep.ref());
            constraint = VersionConstraint.parse(dep.version());
        } catch (IllegalArgumentException e) {
            throw new LockException(LockException.Reason.MANIFEST_INVALID, name, e.getMessage());
        }
        // the caller's own credentials, and only for the registry it called this resolution through;
        // else what the configuration gives for that registry; else anonymous
        RegistryLogin login = ctx.callerRegistry().filter(c -> c.names(ref.registry())).map(CallerRegistry::login)
                .orElseGet(() -> registryLogins.getOrDefault(ref.registry(), RegistryLogin.anonymous()));
        RegistryReader reader = new RegistryReader(remote, ref, login);
        try {
            String tag = constraint.isExact() ? constraint.text() : pickTag(reader, ref, constraint, ctx, name);
            Manifest manifest = reader.manifest(tag);
            if (manifest == null) {
                throw new LockException(LockException.Reason.NOT_FOUND, name, "tag `" + tag + "` not found in " + ref.source());
            }
            if (manifest.content().kind() != ManifestKind.IMAGE) {
                throw new LockException(LockException.Reason.REMOTE_CONTENT_INVALID, name, ref.source() + ":" + tag
                        + " is an index; akua needs a single image manifest with a chart or KCL layer");
            }
            Descriptor layer = contentLayer(manifest);
            if (layer == null) {
                throw new LockException(LockException.Reason.REMOTE_CONTENT_INVALID, name, ref.source() + ":" + tag
                        + " has neither a Helm chart layer nor a KCL package layer (akua: NoChartLayer)");
            }
            List<Requirement> requirements = List.of();
            LockedPackage entry = LockedPackage.of(name, tag, ref.source(), layer.digest().toString());
            try (InputStream blob = reader.blob(layer.digest(), MAX_LAYER_BYTES)) {
                if (MediaTypes.HELM_CHART_CONTENT.equals(layer.mediaType())) {
                    ChartArchive.Contents contents = archives.read(blob);
                    requirements = contents.dependencies().stream()
                            .map(d -> new Requirement(d.name(), d.version(), d.repository(), entry.coordinate())).toList();
                } else {
                    blob.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            List<String> notes = new ArrayList<>();
            String signature = signature(reader, ref, tag, manifest.digest(), ctx, name, notes);
            return new Resolved(entry.withSignature(signature), requirements, notes);
        } catch (DigestMismatchException e) {
            throw new LockException(LockException.Reason.DIGEST_MISMATCH, name, ref.source() + ": " + e.getMessage(), e);
        } catch (RemoteException e) {
            throw remoteFailure(name, ref, e, e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " (" + e.getMessage() + ")");
        } catch (IOException e) {
            RemoteException cause = remoteCause(e);
            if (cause != null) {
                throw remoteFailure(name, ref, e, cause.getMessage());
            }
            throw new LockException(LockException.Reason.REMOTE_CONTENT_INVALID, name, ref.source() + ": " + e.getMessage(), e);
        }
    }

    private static String pickTag(RegistryReader reader, OciRef ref, VersionConstraint constraint, ResolveContext ctx, String name)
            throws IOException, LockException {
        List<String> tags = reader.tags();
        Optional<String> locked = ctx.lockedVersion(ref.source(), constraint).filter(tags::contains);
        return locked.or(() -> constraint.best(tags)).orElseThrow(() -> new LockException(LockException.Reason.NOT_FOUND, name,
                "no tag of " + ref.source() + " satisfies `" + constraint + "`"));
    }

    /** akua's detection order (§2.3): a Helm chart layer first, then the KCL shape. */
    static Descriptor contentLayer(Manifest manifest) {
        for (Descriptor layer : manifest.content().layers()) {
            if (MediaTypes.HELM_CHART_CONTENT.equals(layer.mediaType())) {
                return layer;
            }
        }
        Map<String, String> annotations = manifest.content().annotations();
        if (KCL_ANNOTATIONS.stream().anyMatch(annotations::containsKey)) {
            for (Descriptor layer : manifest.content().layers()) {
                if (OCI_LAYER_TAR.equals(layer.mediaType())) {
                    return layer;
                }
            }
        }
        return null;
    }

    /** The Sigstore bundles among the manifest's referrers (at most {@link #MAX_SIGNATURES}), each from its bundle layer. */
    private static List<byte[]> bundles(RegistryReader reader, Digest manifestDigest) throws IOException {
        List<byte[]> out = new ArrayList<>();
        List<Descriptor> referrers;
        try {
            referrers = reader.referrers(manifestDigest);
        } catch (RemoteException e) {
            int status = e.status().orElse(0);
            if (e.kind() == RemoteException.Kind.UNEXPECTED_STATUS && status != 401 && status != 403) {
                return out;     // a registry without a working referrers API (400/405/…): only the .sig sidecar counts
            }
            throw e;
        }
        for (Descriptor referrer : referrers) {
            if (!SIGSTORE_BUNDLE.equals(referrer.artifactType()) || out.size() >= MAX_SIGNATURES) {
                continue;
            }
            Manifest m = reader.manifest(referrer.digest().toString());
            if (m == null) {
                continue;                       // listed, then deleted: nothing to judge
            }
            for (Descriptor layer : m.content().layers()) {
                if (SIGSTORE_BUNDLE.equals(layer.mediaType())) {
                    out.add(reader.smallBlob(layer.digest(), MAX_BUNDLE_BYTES));
                    break;
                }
            }
        }
        return out;
    }

    private String signature(RegistryReader reader, OciRef ref, String tag, Digest manifestDigest, ResolveContext ctx,
                             String name, List<String> notes) throws IOException, LockException {
        boolean strict = ctx.manifest().strictSigning();
        Manifest sig = reader.manifest(manifestDigest.tagForm() + ".sig");
        List<SignatureEvidence.Signature> signatures = new ArrayList<>();
        if (sig != null) {
            for (Descriptor layer : sig.content().layers()) {
                if (MediaTypes.COSIGN_SIMPLE_SIGNING.equals(layer.mediaType()) && signatures.size() < MAX_SIGNATURES) {
                    byte[] payload = reader.smallBlob(layer.digest(), MAX_PAYLOAD_BYTES);
                    signatures.add(new SignatureEvidence.Signature(payload,
                            layer.annotations().get("dev.cosignproject.cosign/signature"), layer.annotations()));
                }
            }
        }
        List<byte[]> bundles = bundles(reader, manifestDigest);
        String where = ref.source() + ":" + tag + " (" + manifestDigest + ")";
        if (signatures.isEmpty() && bundles.isEmpty()) {
            if (strict) {
                throw new LockException(LockException.Reason.SIGNATURE_REQUIRED, name, where
                        + " is not signed (no " + manifestDigest.tagForm() + ".sig, no Sigstore bundle referrer) and strict_signing is on");
            }
            notes.add("unsigned: " + where + " has no cosign signature (strict_signing = false)");
            return null;
        }
        SignatureVerdict verdict = verifier.verify(new SignatureEvidence(name, ref.dockerReference(), tag, manifestDigest,
                signatures, bundles, ctx.publicKeyPem(), ctx.callerRegistry().map(CallerRegistry::authority)));
        return switch (verdict) {
            case SignatureVerdict.Verified v -> v.lockValue();
            case SignatureVerdict.Rejected r -> {
                if (strict) {
                    throw new LockException(LockException.Reason.SIGNATURE_REQUIRED, name, "signature of " + where
                            + " does not verify: " + r.reason());
                }
                notes.add("signature of " + where + " does not verify (" + r.reason() + "); strict_signing = false");
                yield null;
            }
        };
    }

    /** A refused read (401/403) is the caller's access, not an outage; anything else fails closed. */
    private static LockException remoteFailure(String name, OciRef ref, IOException e, String what) {
        RemoteException remote = remoteCause(e);
        int status = remote == null ? 0 : remote.status().orElse(0);
        if (status == 401 || status == 403) {
            return new LockException(LockException.Reason.ACCESS_DENIED, name, ref.source() + " refused the read (" + status
                    + "): the credentials used may not pull it (" + (remote.getMessage()) + ")", e);
        }
        return new LockException(LockException.Reason.REMOTE_FAILED, name, "cannot read " + ref.source() + ": " + what, e);
    }

    private static RemoteException remoteCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RemoteException r) {
                return r;
            }
        }
        return null;
    }
}
