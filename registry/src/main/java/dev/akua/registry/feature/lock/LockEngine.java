package dev.akua.registry.feature.lock;

import dev.akua.registry.lockfile.LockService;
import dev.akua.registry.remote.RemoteClient;

/**
 * The lock service and the remote client it fetches through, built from {@link LockSettings} the
 * same way for the API and the local CLI; closing it closes the client's connections.
 */
record LockEngine(RemoteClient remote, LockService service) implements AutoCloseable {

    static LockEngine create(LockSettings settings) {
        RemoteClient remote = RemoteClient.create(settings.remote());
        LockService service = LockService.create(remote, new CosignSignatureVerifier(settings.trustedKeys(), settings.signingPolicies(),
                settings.publicAuthority()), settings.helmLimits(), settings.registryLogins());
        return new LockEngine(remote, service);
    }

    @Override
    public void close() {
        remote.close();
    }
}
