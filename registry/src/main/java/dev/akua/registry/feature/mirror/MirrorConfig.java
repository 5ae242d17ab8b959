package dev.akua.registry.feature.mirror;

import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.mirror.MirrorLimits;
import dev.akua.registry.mirror.MirrorSettings;
import dev.akua.registry.remote.AddressPolicy;
import dev.akua.registry.remote.RemoteConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * The mirror's configuration: the {@code mirror.*} keys (ConfigKeys, "mirror (issue 9)") and the
 * structured sections {@code mirror.upstreams} and {@code mirror.rules}, validated once at start
 * (a mistake stops the registry with the path of the offending field).
 *
 * @param settings  upstreams and rules
 * @param remote    address policy, timeouts and caps of every upstream request
 * @param limits    caps on what upstreams and archives control
 * @param spoolDir  where blobs wait between an upstream and pulling clients
 * @param scheduler whether rules with an interval run on their own
 */
record MirrorConfig(MirrorSettings settings, RemoteConfig remote, MirrorLimits limits, Path spoolDir, boolean scheduler) {

    static MirrorConfig from(RegistryConfig config, Function<String, String> environment) {
        MirrorSettings settings;
        try {
            settings = MirrorSettings.parse(config.section("mirror.upstreams"), config.section("mirror.rules"), environment, Path.of(""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        long maxBlob = config.longValue("mirror.maxBlobBytes");
        if (maxBlob < 1) {
            throw new ConfigException("mirror.maxBlobBytes must be positive");
        }
        long retry = config.longValue("mirror.upstreamRetryAfterSeconds");
        if (retry < 0) {
            throw new ConfigException("mirror.upstreamRetryAfterSeconds must not be negative");
        }
        MirrorLimits limits = MirrorLimits.defaults().withMaxBlobBytes(maxBlob).withUpstreamRetryAfter(Duration.ofSeconds(retry));
        AddressPolicy policy = AddressPolicy.publicOnly();
        if (config.boolValue("mirror.remote.allowLoopback")) {
            policy = policy.withLoopbackAllowed();
        }
        if (config.boolValue("mirror.remote.allowPrivate")) {
            policy = policy.withPrivateAllowed();
        }
        for (String cidr : config.value("mirror.remote.allowedCidrs").split(",")) {
            if (!cidr.isBlank()) {
                try {
                    policy = policy.allowing(cidr.trim());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("mirror.remote.allowedCidrs: " + e.getMessage());
                }
            }
        }
        RemoteConfig remote;
        try {
            remote = RemoteConfig.defaults()
                    .withAddressPolicy(policy)
                    .withConnectTimeout(Duration.ofSeconds(config.longValue("mirror.remote.connectTimeoutSeconds")))
                    .withReadTimeout(Duration.ofSeconds(config.longValue("mirror.remote.readTimeoutSeconds")))
                    .withTotalTimeout(Duration.ofSeconds(config.longValue("mirror.remote.totalTimeoutSeconds")))
                    .withMaxBodyBytes(maxBlob);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("mirror.remote: " + e.getMessage());
        }
        return new MirrorConfig(settings, remote, limits, spoolDir(config), config.boolValue("mirror.scheduler.enabled"));
    }

    /** {@code mirror.spoolDir}, else beside the filesystem storage, else a fresh temporary directory. */
    private static Path spoolDir(RegistryConfig config) {
        String configured = config.value("mirror.spoolDir");
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        if (config.storage().driver().equals("filesystem")) {
            return config.storage().filesystemRoot().resolve("_mirror").resolve("spool");
        }
        try {
            return Files.createTempDirectory("akua-registry-mirror-spool");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a spool directory for the mirror", e);
        }
    }

    /** True when nothing is configured: no upstream, so no pull-through and no rules (export/import still work). */
    boolean idle() {
        return settings.upstreams().isEmpty();
    }
}
