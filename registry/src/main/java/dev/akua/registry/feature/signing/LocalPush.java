package dev.akua.registry.feature.signing;

import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.ManifestPushCheck;
import dev.akua.registry.extension.RegistryListener;
import dev.akua.registry.extension.V2Hooks;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.signing.BlobUpload;
import dev.akua.registry.signing.ManifestUpload;
import dev.akua.registry.storage.RegistryStorage;
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
 * Stores server-made content the way a client push through {@code /v2} is stored, on behalf of the
 * caller: blobs through an upload session (digest verified, moved into the content store, linked);
 * manifests through the manifest store (references checked, raw bytes kept, referrers indexed, tag
 * moved last) with the gate's tag rules and every feature's push checks run before anything is
 * stored; listeners told afterwards. So the referrers API, tags, audit and caches cannot tell a
 * server-side signature from one cosign pushed.
 */
final class LocalPush {
    private static final Logger LOG = Logger.getLogger(LocalPush.class.getName());
    private final RegistryStorage storage;
    private final Supplier<V2Hooks> hooks;

    LocalPush(RegistryStorage storage, Supplier<V2Hooks> hooks) {
        this.storage = storage;
        this.hooks = hooks;
    }

    void blob(Caller caller, RepositoryName repo, BlobUpload blob) {
        UploadState session = storage.uploads().start(repo, blob.digest().algorithm());
        byte[] bytes = blob.content();
        storage.uploads().complete(repo, session.id(), blob.digest(), new ByteArrayInputStream(bytes), null, bytes.length);
        notify(l -> l.blobPushed(caller, repo, blob.digest()));
    }

    PutResult manifest(Caller caller, RepositoryName repo, ManifestUpload manifest) {
        V2Hooks h = hooks.get();
        Reference ref = manifest.tag() != null ? manifest.tag() : manifest.digest();
        Map<Tag, Optional<Digest>> previous = new LinkedHashMap<>();
        if (manifest.tag() != null) {
            previous.put(manifest.tag(), storage.tags().resolve(repo, manifest.tag()));
        }
        byte[] raw = manifest.content();
        PutResult result = storage.manifests().put(repo, ref, raw, manifest.mediaType(), List.of(), content -> {
            previous.forEach((tag, current) -> h.gate().checkTagWrite(caller, repo, tag, current, manifest.digest()));
            for (ManifestPushCheck check : h.pushChecks()) {
                check.check(caller, repo, ref, content, raw);
            }
        });
        notify(l -> l.manifestPushed(caller, repo, result, previous));
        return result;
    }

    /** As the {@code /v2} handlers do: a failing listener is logged and never fails the request. */
    private void notify(Consumer<RegistryListener> event) {
        for (RegistryListener l : hooks.get().listeners()) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "registry listener " + l.getClass().getName() + " failed", e);
            }
        }
    }
}
