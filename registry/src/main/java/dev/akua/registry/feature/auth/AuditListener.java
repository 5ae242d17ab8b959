package dev.akua.registry.feature.auth;

import dev.akua.registry.auth.AccessControl;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.RegistryListener;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.storage.manifest.PutResult;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes what the registry stored or removed to the audit log: a {@code push} per blob upload
 * and per tag a manifest push set (or one naming the digest when it set none), a
 * {@code tag_move} when a push moved an existing tag to other content (with
 * {@code previous_digest}), and a {@code delete} per blob, manifest and tag removed. Token
 * issues, failed logins and denials are written by the auth module itself.
 */
final class AuditListener implements RegistryListener {
    private final AccessControl access;

    AuditListener(AccessControl access) {
        this.access = access;
    }

    @Override
    public void manifestPushed(Caller caller, RepositoryName repository, PutResult result, Map<Tag, Optional<Digest>> previousTags) {
        var who = AuthGate.unwrap(caller);
        if (previousTags.isEmpty()) {
            access.recordPush(who, repository, result.digest().toString(), result.digest());
            return;
        }
        previousTags.forEach((tag, before) -> {
            if (before.isPresent() && !before.get().equals(result.digest())) {
                access.recordTagMove(who, repository, tag, before.get(), result.digest());
            } else {
                access.recordPush(who, repository, tag.value(), result.digest());
            }
        });
    }

    @Override
    public void manifestDeleted(Caller caller, RepositoryName repository, Digest digest, List<Tag> tags) {
        var who = AuthGate.unwrap(caller);
        access.recordDelete(who, repository, digest.toString(), digest);
        for (Tag tag : tags) {
            access.recordDelete(who, repository, tag.value(), digest);
        }
    }

    @Override
    public void tagDeleted(Caller caller, RepositoryName repository, Tag tag, Digest digest) {
        access.recordDelete(AuthGate.unwrap(caller), repository, tag.value(), digest);
    }

    @Override
    public void blobPushed(Caller caller, RepositoryName repository, Digest digest) {
        access.recordPush(AuthGate.unwrap(caller), repository, digest.toString(), digest);
    }

    @Override
    public void blobDeleted(Caller caller, RepositoryName repository, Digest digest) {
        access.recordDelete(AuthGate.unwrap(caller), repository, digest.toString(), digest);
    }
}
