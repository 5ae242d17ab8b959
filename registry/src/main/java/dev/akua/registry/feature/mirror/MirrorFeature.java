package dev.akua.registry.feature.mirror;

import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RegistryFeature;
import dev.akua.registry.extension.V2Hooks;
import dev.akua.registry.feature.signing.Signatures;
import dev.akua.registry.mirror.Mirror;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.signing.TrustPolicies;
import dev.akua.registry.signing.VerificationLimits;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Offline mirror setups (issue 9, docs/mirror.md): the pull-through cache for the prefixes of the
 * configured upstreams ({@code mirror.upstreams}), the schedule of the mirroring rules
 * ({@code mirror.rules}), and the {@link Mirror} service the {@code mirror run}, {@code export} and
 * {@code import} commands use. Always built: without upstreams it registers no hook and runs
 * nothing, and export/import still work.
 *
 * <p>Signature checks ({@code onlySigned}, import policy) use the trust policies the signing feature
 * publishes ({@link Signatures}, from {@code signing.policies}), read when a check runs.
 */
public final class MirrorFeature implements RegistryFeature {
    private static final Logger LOG = Logger.getLogger(MirrorFeature.class.getName());

    private final MirrorConfig config;
    private final Mirror mirror;
    private final RemoteClient remote;
    private MirrorScheduler scheduler;

    private MirrorFeature(MirrorConfig config, Mirror mirror, RemoteClient remote) {
        this.config = config;
        this.mirror = mirror;
        this.remote = remote;
    }

    /** The factory listed in {@code Features}. */
    public static Optional<RegistryFeature> create(FeatureContext ctx) {
        return create(ctx, System::getenv);
    }

    /** A factory reading {@code passwordEnv}/{@code tokenEnv} through {@code environment} (tests). */
    public static Function<FeatureContext, Optional<RegistryFeature>> factory(Function<String, String> environment) {
        return ctx -> create(ctx, environment);
    }

    private static Optional<RegistryFeature> create(FeatureContext ctx, Function<String, String> environment) {
        MirrorConfig config = MirrorConfig.from(ctx.config(), environment);
        RemoteClient remote = RemoteClient.create(config.remote());
        // The signing feature's trust policies (signing.policies), read when a check runs.
        Mirror mirror = Mirror.create(config.settings(), ctx.storage(), remote,
                () -> ctx.service(Signatures.class).map(Signatures::policies).orElse(TrustPolicies.none()),
                VerificationLimits.defaults(), config.limits(), config.spoolDir(), ctx.clock(), new RegistryEvents(ctx));
        int purged = mirror.purgeStaging(Duration.ofDays(1));
        if (purged > 0) {
            LOG.info("mirror: removed " + purged + " staging objects left by an interrupted transfer");
        }
        ctx.publish(Mirror.class, mirror);
        return Optional.of(new MirrorFeature(config, mirror, remote));
    }

    @Override
    public String name() {
        return "mirror";
    }

    @Override
    public void hooks(V2Hooks.Builder hooks) {
        if (config.settings().upstreams().stream().anyMatch(u -> u.pullThrough())) {
            hooks.pullThrough(new MirrorPullThrough(mirror.pullThrough()));
        }
    }

    @Override
    public void start() {
        if (config.scheduler() && config.settings().rules().stream().anyMatch(r -> !r.interval().isZero())) {
            scheduler = MirrorScheduler.start(mirror, config.settings().rules());
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        mirror.close();
        remote.close();
    }
}
