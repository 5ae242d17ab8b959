package dev.akua.registry.feature.signing;

import dev.akua.registry.extension.ContentPush;

import dev.akua.registry.extension.Caller;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.signing.BlobUpload;
import dev.akua.registry.signing.ManifestUpload;
import dev.akua.registry.signing.ServerSigner;
import dev.akua.registry.signing.SignRequest;
import dev.akua.registry.signing.SigningException;
import dev.akua.registry.signing.SigningResult;
import dev.akua.registry.storage.RegistryStorage;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Server-side signing: {@link ServerSigner} makes the signature (appended to the {@code .sig}
 * sidecar as cosign appends, optionally a bundle referrer) and {@link ContentPush} stores it as a
 * client push would.
 *
 * <p>The sidecar is read, extended and written back. Signings of one subject in this process are
 * serialised (striped locks), and just before the sidecar tag is moved it must still point where
 * the signature was based on ({@link SigningResult#basedOn()}); if another writer (a cosign push, a
 * second replica) moved it in between, the signature is made again on the new sidecar, up to
 * {@value #ATTEMPTS} times. The storage has no compare-and-swap on tags, so two replicas signing one
 * digest in the same instant can still lose one layer; the caller then sees its key missing from
 * the report and signs again.
 */
final class ServerSigning {
    static final int ATTEMPTS = 3;
    private static final int STRIPES = 64;

    private final ServerSigner signer;
    private final ContentPush push;
    private final RegistryStorage storage;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    ServerSigning(ServerSigner signer, ContentPush push, RegistryStorage storage) {
        this.signer = signer;
        this.push = push;
        this.storage = storage;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /**
     * What was stored.
     *
     * @param result     the signer's result (key, fingerprint, whether it was already signed)
     * @param sidecarTag {@code sha256-<hex>.sig}
     * @param sidecar    digest of the {@code .sig} manifest now holding the signature
     * @param bundle     digest of the bundle referrer written, or null
     */
    record Outcome(SigningResult result, Tag sidecarTag, Digest sidecar, Digest bundle) {
    }

    Outcome sign(Caller caller, SignRequest request) {
        ReentrantLock lock = locks[Math.floorMod(Objects.hash(request.repository(), request.subject()), STRIPES)];
        lock.lock();
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                SigningResult result = signer.sign(request);
                Tag tag = sidecarTag(request.subject());
                if (result.alreadySigned()) {
                    return new Outcome(result, tag, result.basedOn(), null);
                }
                for (BlobUpload blob : result.blobs()) {
                    push.blob(caller, request.repository(), blob.digest(), blob.content());
                }
                Optional<Digest> now = storage.tags().resolve(request.repository(), tag);
                if (!now.equals(Optional.ofNullable(result.basedOn()))) {
                    continue; // the sidecar moved while we signed: sign the new one
                }
                Digest sidecar = null;
                Digest bundle = null;
                for (ManifestUpload m : result.manifests()) {
                    Digest stored = push.manifest(caller, request.repository(), m).digest();
                    if (tag.equals(m.tag())) {
                        sidecar = stored;
                    } else {
                        bundle = stored;
                    }
                }
                return new Outcome(result, tag, sidecar, bundle);
            }
            throw OciException.of(ErrorCode.UNAVAILABLE, "the signature sidecar " + sidecarTag(request.subject())
                    + " of " + request.repository() + " kept changing while signing; try again");
        } catch (IOException e) {
            throw OciException.of(ErrorCode.UNAVAILABLE, "storage unavailable while signing " + request.repository() + "@"
                    + request.subject() + ": " + e.getMessage()).withCause(e);
        } finally {
            lock.unlock();
        }
    }

    /** cosign's tag scheme, {@code sha256-<hex>.sig} (akua-wire-contract.md §3.3). */
    static Tag sidecarTag(Digest subject) {
        return Tag.parse(subject.tagForm() + ".sig");
    }

    /**
     * The answer for each {@link SigningException.Reason}, as its Javadoc gives it. Only the
     * registry's own error codes exist, so the code is the nearest one and the message says exactly
     * what is wrong.
     */
    static OciException toOci(SigningException e) {
        return switch (e.reason()) {
            case KEY_UNKNOWN, INVALID_REQUEST -> OciException.of(ErrorCode.UNSUPPORTED, e.getMessage()).withStatus(400);
            case KEY_UNAVAILABLE -> OciException.of(ErrorCode.UNAVAILABLE, e.getMessage());
            case SUBJECT_UNKNOWN -> OciException.of(ErrorCode.MANIFEST_UNKNOWN, e.getMessage());
            case TOO_MANY_SIGNATURES, SIDECAR_INVALID -> OciException.of(ErrorCode.MANIFEST_INVALID, e.getMessage()).withStatus(409);
        };
    }
}
