package dev.akua.registry.feature.publish;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.ManifestPushCheck;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.publisher.PackageMetadata;
import dev.akua.registry.publisher.PackageRefusal;
import dev.akua.registry.publisher.PackageRules;
import dev.akua.registry.publisher.PackageValidator;
import dev.akua.registry.publisher.PublishPolicy;
import dev.akua.registry.storage.RegistryStorage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * akua packages in this registry: the push check that validates them in repositories whose policy
 * says {@code akuaPackages: true}, and their metadata for {@code GET …/packages/<tag>}.
 *
 * <p>Metadata is derived from the package layer and kept per layer digest: the push check records
 * what it validated, and a package stored before validation was configured is read (with the same
 * limits) the first time it is asked for. A layer digest names immutable bytes, so an entry is never
 * stale; only memory bounds the cache, and a dropped entry is simply derived again.
 */
final class Packages implements ManifestPushCheck {
    private final RegistryStorage storage;
    private final PackageValidator validator;
    private final List<PublishPolicy> policies;
    private final long maxLayerBytes;
    private final Cache<Digest, PackageMetadata> metadata = Caffeine.newBuilder().maximumSize(10_000).build();
    private final dev.akua.registry.oci.manifest.ManifestParser parser = new dev.akua.registry.oci.manifest.ManifestParser();

    Packages(RegistryStorage storage, PackageValidator validator, List<PublishPolicy> policies, long maxLayerBytes) {
        this.storage = storage;
        this.validator = validator;
        this.policies = List.copyOf(policies);
        this.maxLayerBytes = maxLayerBytes;
    }

    /** True when some policy asks for package validation (the check is installed only then). */
    boolean validatesAnything() {
        return policies.stream().anyMatch(PublishPolicy::akuaPackages);
    }

    @Override
    public void check(Caller caller, RepositoryName repository, Reference reference, ManifestContent content, byte[] raw) {
        Optional<PublishPolicy> policy = PublishPolicy.first(policies, repository);
        if (policy.isEmpty() || !policy.get().akuaPackages()) {
            return;
        }
        Tag tag = reference instanceof Tag t ? t : null;
        for (Descriptor layer : content.layers()) {
            if (MediaTypes.AKUA_PACKAGE_CONTENT.equals(layer.mediaType())) {
                metadata.put(layer.digest(), validate(repository, layer, tag, policy.get().packageRules()));
            }
        }
    }

    /** The package a tag or digest names, with the digests involved. */
    record Found(Digest manifest, Digest layer, PackageMetadata metadata) {
    }

    Found lookup(RepositoryName repository, Reference reference) {
        var stored = storage.manifests().get(repository, reference).orElseThrow(() -> OciException.of(
                storage.catalog().exists(repository) ? ErrorCode.MANIFEST_UNKNOWN : ErrorCode.NAME_UNKNOWN,
                "manifest unknown: " + repository + ":" + reference));
        ManifestContent content = parser.parse(stored.bytes(), stored.revision().mediaType());
        Descriptor layer = content.layers().stream().filter(l -> MediaTypes.AKUA_PACKAGE_CONTENT.equals(l.mediaType())).findFirst()
                .orElseThrow(() -> OciException.of(ErrorCode.MANIFEST_UNKNOWN, repository + ":" + reference
                        + " is not an akua package (it has no " + MediaTypes.AKUA_PACKAGE_CONTENT + " layer)"));
        PackageMetadata meta = metadata.getIfPresent(layer.digest());
        if (meta == null) {
            try {
                meta = validate(repository, layer, null, PackageRules.none());
            } catch (OciException e) {
                throw OciException.of(ErrorCode.MANIFEST_INVALID, "the stored package " + repository + ":" + reference
                        + " is not a valid akua package: " + e.getMessage()).withStatus(422);
            }
            metadata.put(layer.digest(), meta);
        }
        return new Found(stored.revision().digest(), layer.digest(), meta);
    }

    private PackageMetadata validate(RepositoryName repository, Descriptor layer, Tag tag, PackageRules rules) {
        if (layer.size() > maxLayerBytes) {
            throw refusal("akua package rejected: the package layer has " + layer.size() + " bytes, more than the limit of "
                    + maxLayerBytes, true, layer.digest());
        }
        try (InputStream in = storage.blobs().open(layer.digest(), 0)) {
            return validator.validate(in, repository, tag, rules);
        } catch (PackageRefusal e) {
            throw refusal(e.getMessage(), e.tooLarge(), layer.digest());
        } catch (IOException e) {
            throw OciException.of(ErrorCode.UNAVAILABLE, "reading package layer " + layer.digest() + ": " + e.getMessage()).withCause(e);
        }
    }

    private static OciException refusal(String message, boolean tooLarge, Digest layer) {
        OciException e = OciException.of(ErrorCode.MANIFEST_INVALID, message, Map.of("layer", layer.toString()));
        return tooLarge ? e.withStatus(413) : e;
    }
}
