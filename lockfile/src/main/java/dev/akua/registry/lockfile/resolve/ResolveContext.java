package dev.akua.registry.lockfile.resolve;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.akua.registry.lockfile.CallerRegistry;
import dev.akua.registry.lockfile.lock.LockedPackage;
import dev.akua.registry.lockfile.manifest.AkuaManifest;

/**
 * What a resolver may look at while resolving one dependency of one lock operation.
 *
 * @param workspace        the workspace directory (akua.toml's directory)
 * @param localFiles       whether local files may be read for this operation (path deps, file:// git
 *                         URLs); false for requests from the HTTP API, which must not reach the server's disk
 * @param manifest         the parsed akua.toml
 * @param prior            the prior lock entry of this dependency's name, if any
 * @param keepLocked       true for lock/check: prefer the prior entry's version while it still
 *                         satisfies the constraint; false for update
 * @param publicKeyPem     the workspace's cosign public key ([signing].cosign_public_key), if any
 * @param callerRegistry   the registry running the resolution, as its caller reached it, if any
 * @param session          per-operation memo (an index validated once per operation, not per dependency)
 */
public record ResolveContext(Path workspace,
                             boolean localFiles,
                             AkuaManifest manifest,
                             Optional<LockedPackage> prior,
                             boolean keepLocked,
                             Optional<String> publicKeyPem,
                             Optional<CallerRegistry> callerRegistry,
                             Session session) {
    public ResolveContext {
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(prior, "prior");
        Objects.requireNonNull(publicKeyPem, "publicKeyPem");
        Objects.requireNonNull(callerRegistry, "callerRegistry");
        Objects.requireNonNull(session, "session");
    }

    /** The version to keep, if the prior entry has this source and its version still satisfies the constraint. */
    public Optional<String> lockedVersion(String source, VersionConstraint constraint) {
        if (!keepLocked) {
            return Optional.empty();
        }
        return prior.filter(p -> p.source().equals(source) && constraint.matches(p.version())).map(LockedPackage::version);
    }

    public ResolveContext withPrior(Optional<LockedPackage> value) {
        return new ResolveContext(workspace, localFiles, manifest, value, keepLocked, publicKeyPem, callerRegistry, session);
    }

    /** Memo scoped to one lock operation. */
    public static final class Session {
        private final Map<Object, Object> memo = new ConcurrentHashMap<>();

        @SuppressWarnings("unchecked")
        public <K, V> V computeIfAbsent(K key, Function<K, V> compute) {
            return (V) memo.computeIfAbsent(key, k -> compute.apply((K) k));
        }

        @SuppressWarnings("unchecked")
        public <V> V get(Object key) {
            return (V) memo.get(key);
        }

        public void put(Object key, Object value) {
            memo.put(key, value);
        }
    }
}
