package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;

import java.util.Objects;

/**
 * A request to sign a manifest with a key the registry holds
 * ({@code POST /api/v1/repositories/<name>/sign} with {@code {"digest": "...", "key": "<name>"}}).
 *
 * @param repository      the repository of the manifest
 * @param subject         the manifest digest to sign
 * @param keyName         name of the configured signing key
 * @param dockerReference what goes in the payload's {@code docker-reference}: the repository as
 *                        clients address it, {@code <registry host[:port]>/<repository>}, no tag or digest
 * @param writeBundle     also write a Sigstore bundle referrer (DSSE, cosign's sign predicate)
 */
public record SignRequest(RepositoryName repository, Digest subject, String keyName, String dockerReference,
                          boolean writeBundle) {
    public SignRequest {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(dockerReference, "dockerReference");
    }
}
