package dev.akua.registry.lockfile;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Input of {@link LockService#resolve(LockRequest)}: documents as text, nothing read from disk
 * except path dependencies below {@code workspace}.
 *
 * @param manifestText  the akua.toml text
 * @param priorLockText the existing akua.lock text, if any
 * @param mode          the operation
 * @param workspace     directory that path dependencies and {@code replace} paths are relative to;
 *                      without one, such dependencies are refused (the HTTP API has no workspace)
 * @param publicKeyPem  the text of the workspace's [signing].cosign_public_key, if it has one
 * @param callerRegistry when a registry runs the resolution for a caller: how the caller reached it
 *                      (OCI dependencies there are read with the caller's credentials and judged by
 *                      the registry's own signature policies)
 */
public record LockRequest(String manifestText,
                          Optional<String> priorLockText,
                          LockMode mode,
                          Optional<Path> workspace,
                          Optional<String> publicKeyPem,
                          Optional<CallerRegistry> callerRegistry) {
    public LockRequest {
        Objects.requireNonNull(manifestText, "manifestText");
        Objects.requireNonNull(priorLockText, "priorLockText");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(publicKeyPem, "publicKeyPem");
        Objects.requireNonNull(callerRegistry, "callerRegistry");
    }

    public static LockRequest of(String manifestText, String priorLockTextOrNull, LockMode mode) {
        return new LockRequest(manifestText, Optional.ofNullable(priorLockTextOrNull), mode, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
