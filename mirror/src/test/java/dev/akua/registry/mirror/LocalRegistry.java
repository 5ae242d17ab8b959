package dev.akua.registry.mirror;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.remote.AddressPolicy;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteConfig;
import dev.akua.registry.remote.oci.RegistryLogin;
import dev.akua.registry.signing.TrustPolicies;
import dev.akua.registry.signing.VerificationLimits;
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.StorageOptions;
import dev.akua.registry.storage.driver.FilesystemDriver;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** This registry's storage on a temporary directory with a {@link Mirror} over it, as the composition root builds them. */
final class LocalRegistry implements AutoCloseable {
    final RegistryStorage storage;
    final Mirror mirror;

    LocalRegistry(Path dir, MirrorSettings settings, TrustPolicies policies, MirrorLimits limits) {
        this.storage = new RegistryStorage(new FilesystemDriver(dir.resolve("data")),
                new StorageOptions(4 * 1024 * 1024, Duration.ofSeconds(5), 1 << 20), new ManifestParser(), JsonMapper.builder().build(),
                Clock.systemUTC());
        RemoteClient remote = RemoteClient.create(RemoteConfig.defaults()
                .withAddressPolicy(AddressPolicy.publicOnly().withLoopbackAllowed())
                .withConnectTimeout(Duration.ofSeconds(2)).withReadTimeout(Duration.ofSeconds(10)).withTotalTimeout(Duration.ofMinutes(5))
                .withMaxBodyBytes(1L << 32));
        this.mirror = Mirror.create(settings, storage, remote, () -> policies, VerificationLimits.defaults(), limits, dir.resolve("spool"),
                Clock.systemUTC(), StoreEvents.NONE);
    }

    static Upstream upstream(String name, URI url, RegistryLogin login, String prefix, Duration tagTtl) {
        return new Upstream(name, url, login, RepositoryName.parse(prefix), true, tagTtl);
    }

    static LocalRegistry of(Path dir, List<Upstream> upstreams) {
        return new LocalRegistry(dir, new MirrorSettings(upstreams, List.of()), TrustPolicies.none(), MirrorLimits.defaults());
    }

    @Override
    public void close() {
        mirror.close();
    }
}
