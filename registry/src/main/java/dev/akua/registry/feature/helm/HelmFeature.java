package dev.akua.registry.feature.helm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.extension.AccessGate;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.PullThrough;
import dev.akua.registry.extension.RegistryFeature;
import dev.akua.registry.extension.RegistryListener;
import dev.akua.registry.extension.V2Hooks;
import dev.akua.registry.helm.HelmRepositories;
import dev.akua.registry.helm.HelmSettings;
import dev.akua.registry.helm.MirrorReport;
import dev.akua.registry.helm.chart.ChartReader;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.remote.AddressPolicy;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteConfig;
import dev.akua.registry.storage.manifest.PutResult;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Helm repositories (issue 6, docs/helm.md): the classic routes under {@code /helm/}, the OCI view
 * of proxied charts through a {@link PullThrough} for {@code helm/<upstream>/<chart>}, hosted
 * indexes kept current by a {@link RegistryListener}, chart validation on every Helm push, and the
 * mirroring schedule. The work is done by {@link HelmRepositories} (module helm-repo-proxy); this
 * class only wires it. Publishes {@link HelmRepositories} as a service (the helm-mirror command uses it).
 */
public final class HelmFeature implements RegistryFeature {
    private static final Logger LOG = Logger.getLogger(HelmFeature.class.getName());

    private final FeatureContext ctx;
    private final HelmRepositories repositories;
    private final RemoteClient remote;
    private final Duration mirrorInterval;
    private ScheduledExecutorService scheduler;

    private HelmFeature(FeatureContext ctx, HelmRepositories repositories, RemoteClient remote, Duration mirrorInterval) {
        this.ctx = ctx;
        this.repositories = repositories;
        this.remote = remote;
        this.mirrorInterval = mirrorInterval;
    }

    /** The factory listed in {@code Features}: empty unless {@code helm.enabled}. */
    public static Optional<RegistryFeature> create(FeatureContext ctx) {
        RegistryConfig config = ctx.config();
        JsonNode upstreams = config.section("helm.upstreams");
        JsonNode hosted = config.section("helm.hosted");
        JsonNode mirrors = config.section("helm.mirrors");
        if (!config.boolValue("helm.enabled")) {
            if (!upstreams.isMissingNode() || !hosted.isMissingNode() || !mirrors.isMissingNode()) {
                throw new ConfigException("helm.upstreams/hosted/mirrors are configured but helm.enabled is false");
            }
            return Optional.empty();
        }
        HelmSettings settings;
        try {
            HelmSettings.Limits limits = new HelmSettings.Limits(config.longValue("helm.maxIndexBytes"),
                    config.intValue("helm.maxIndexVersions"), config.longValue("helm.maxChartBytes"), ChartReader.Limits.helm(),
                    config.seconds("helm.indexRevalidateSeconds"), config.seconds("helm.hostedReloadSeconds"),
                    config.boolValue("helm.allowOverwrite"));
            // Secrets are named by variable (passwordEnv/tokenEnv), never written into the file.
            settings = HelmSettings.parse(upstreams, hosted, mirrors, limits, System::getenv);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        RemoteClient remote = RemoteClient.create(RemoteConfig.defaults()
                .withAddressPolicy(addressPolicy(config))
                .withTotalTimeout(config.seconds("helm.remote.timeoutSeconds"))
                .withMaxBodyBytes(Math.max(settings.limits().maxIndexBytes(), settings.limits().maxChartBytes())));
        String spool = config.value("helm.spoolDir");
        Path spoolDir = spool.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "akua-registry-helm") : Path.of(spool);
        HelmRepositories repositories = HelmRepositories.create(settings, ctx.storage(), remote, ctx.json(), ctx.clock(), spoolDir);
        ctx.publish(HelmRepositories.class, repositories);
        return Optional.of(new HelmFeature(ctx, repositories, remote, config.seconds("helm.mirrorIntervalSeconds")));
    }

    /** Public addresses only unless configured otherwise (ARCHITECTURE.md rule 8). */
    static AddressPolicy addressPolicy(RegistryConfig config) {
        AddressPolicy policy = AddressPolicy.publicOnly();
        if (config.boolValue("helm.remote.allowLoopback")) {
            policy = policy.withLoopbackAllowed();
        }
        if (config.boolValue("helm.remote.allowPrivate")) {
            policy = policy.withPrivateAllowed();
        }
        for (String cidr : config.value("helm.remote.allowedCidrs").split(",")) {
            if (!cidr.isBlank()) {
                try {
                    policy = policy.allowing(cidr.trim());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("helm.remote.allowedCidrs: " + e.getMessage());
                }
            }
        }
        return policy;
    }

    @Override
    public String name() {
        return "helm";
    }

    @Override
    public void hooks(V2Hooks.Builder hooks) {
        hooks.pushCheck((caller, repository, reference, content, raw) -> repositories.checkPush(repository, content));
        hooks.pullThrough(new PullThrough() {
            @Override
            public boolean handles(RepositoryName repository) {
                return repositories.handles(repository);
            }

            @Override
            public void prepareManifest(Caller caller, RepositoryName repository, Reference reference) {
                repositories.prepareManifest(repository, reference);
            }

            @Override
            public boolean serveMissingBlob(Caller caller, RepositoryName repository, Digest digest, ServerRequest req,
                                            ServerResponse res) {
                // Config and layer are stored together with the manifest, so there is nothing to fetch by digest alone.
                return false;
            }

            @Override
            public Optional<List<Tag>> tags(Caller caller, RepositoryName repository) {
                return repositories.tags(repository).map(tags -> tags.stream().filter(Tag::isValid).map(Tag::new).toList());
            }
        });
        hooks.listener(new RegistryListener() {
            @Override
            public void manifestPushed(Caller caller, RepositoryName repository, PutResult result,
                                       Map<Tag, Optional<Digest>> previousTags) {
                repositories.manifestPushed(repository, result.digest(), result.tags());
            }

            @Override
            public void manifestDeleted(Caller caller, RepositoryName repository, Digest digest, List<Tag> tags) {
                repositories.manifestDeleted(repository, digest);
            }

            @Override
            public void tagDeleted(Caller caller, RepositoryName repository, Tag tag, Digest digest) {
                repositories.tagDeleted(repository, tag, digest);
            }
        });
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        HelmRoutes routes = new HelmRoutes(repositories, this::gate, ctx);
        routing.any("/helm", routes).any("/helm/*", routes);
    }

    /**
     * The access gate the auth feature publishes as a service (FeatureContext), resolved per request
     * because features may be built in any order; without one the registry is open.
     */
    private AccessGate gate() {
        return ctx.service(AccessGate.class).orElse(AccessGate.OPEN);
    }

    @Override
    public void start() {
        if (mirrorInterval.isZero() || repositories.settings().mirrors().isEmpty()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "helm-mirror");
            t.setDaemon(true);
            return t;
        });
        long seconds = mirrorInterval.toSeconds();
        scheduler.scheduleWithFixedDelay(this::mirrorOnce, seconds, seconds, TimeUnit.SECONDS);
    }

    private void mirrorOnce() {
        try {
            MirrorReport report = repositories.mirror(repositories.settings().mirrors());
            LOG.info("helm mirror: " + report.fetched() + " fetched, " + report.present() + " already stored, "
                    + report.failures().size() + " failed");
            report.failures().forEach(f -> LOG.warning("helm mirror: " + f));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "helm mirror run failed", e);
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        remote.close();
    }
}
