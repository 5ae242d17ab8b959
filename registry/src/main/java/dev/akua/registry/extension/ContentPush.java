package dev.akua.registry.extension;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.signing.BlobUpload;
import dev.akua.registry.signing.ManifestUpload;
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.manifest.ManifestStore;
import dev.akua.registry.storage.manifest.PutResult;
import dev.akua.registry.storage.upload.UploadState;

import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one way content enters a repository on behalf of a caller, used by the {@code /v2} manifest
 * endpoint and by features that store content themselves (server-side signing, publishing): a
 * blob through an upload session (digest verified, moved into the content store, linked); a
 * manifest through the manifest store (references checked, raw bytes kept, referrers indexed, tags
 * moved last) after the gate's tag rules and every feature's push checks; listeners told
 * afterwards. Tags, the referrers API, audit and caches cannot tell server-made content from a
 * client's push.
 */
public final class ContentPush {
    private static final Logger LOG = Logger.getLogger(ContentPush.class.getName());
    private final RegistryStorage storage;
    private final Supplier<V2Hooks> hooks;

    public ContentPush(RegistryStorage storage, Supplier<V2Hooks> hooks) {
        this.storage = storage;
        this.hooks = hooks;
    }

    public V2Hooks hooks() {
        return hooks.get();
    }

    /** Stores a small blob unless the repository already holds it (as a client's HEAD would find). */
    public void blob(Caller caller, RepositoryName repo, Digest digest, byte[] content) {
        if (storage.links().isLinked(repo, digest) && storage.blobs().stat(digest).isPresent()) {
            return;
        }
        UploadState session = storage.uploads().start(repo, digest.algorithm());
        storage.uploads().complete(repo, session.id(), digest, new ByteArrayInputStream(content), null, content.length);
        notify(l -> l.blobPushed(caller, repo, digest));
    }

    /** Applies the gate's tag rules for moving {@code tag} to {@code next}, without storing anything. */
    public void checkTag(Caller caller, RepositoryName repo, Tag tag, Digest next) {
        hooks.get().gate().checkTagWrite(caller, repo, tag, storage.tags().resolve(repo, tag), next);
    }

    /**
     * Stores a manifest pushed to {@code reference} (a tag, or a digest that must match the bytes)
     * plus {@code extraTags}, running the tag rules and push checks once the manifest proved valid
     * and complete, before anything is stored.
     */
    public PutResult manifest(Caller caller, RepositoryName repo, Reference reference, byte[] raw, String contentType,
                              List<Tag> extraTags) {
        V2Hooks h = hooks.get();
        Digest next = ManifestStore.digestFor(reference, raw);
        Map<Tag, Optional<Digest>> previous = new LinkedHashMap<>();
        if (reference instanceof Tag tag) {
            previous.put(tag, storage.tags().resolve(repo, tag));
        }
        for (Tag t : extraTags) {
            previous.put(t, storage.tags().resolve(repo, t));
        }
        PutResult result = storage.manifests().put(repo, reference, raw, contentType, extraTags, content -> {
            previous.forEach((tag, current) -> h.gate().checkTagWrite(caller, repo, tag, current, next));
            for (ManifestPushCheck check : h.pushChecks()) {
                check.check(caller, repo, reference, content, raw);
            }
        });
        notify(l -> l.manifestPushed(caller, repo, result, previous));
        return result;
    }

    /** Blobs made by the signing and publishing code ({@code signing.BlobUpload}). */
    public void blobs(Caller caller, RepositoryName repo, List<BlobUpload> blobs) {
        for (BlobUpload b : blobs) {
            blob(caller, repo, b.digest(), b.content());
        }
    }

    /** A manifest made by the signing and publishing code, pushed by its tag, or by digest when it has none. */
    public PutResult manifest(Caller caller, RepositoryName repo, ManifestUpload m) {
        return manifest(caller, repo, m.tag() != null ? m.tag() : m.digest(), m.content(), m.mediaType(), List.of());
    }

    /** Tells every listener; a failing listener is logged and never fails the request. */
    public void notify(Consumer<RegistryListener> event) {
        for (RegistryListener l : hooks.get().listeners()) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "registry listener " + l.getClass().getName() + " failed", e);
            }
        }
    }
}
