package dev.akua.registry.mirror;

import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.signing.TrustPolicies;
import dev.akua.registry.signing.VerificationLimits;
import dev.akua.registry.storage.RegistryStorage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The mirror module's entry point: everything an offline site needs, built once by the registry's
 * composition root over its storage.
 * <pre>
 * Mirror mirror = Mirror.create(settings, storage, remote, () -&gt; policies, VerificationLimits.defaults(),
 *         MirrorLimits.defaults(), spoolDir, clock, events);
 * mirror.pullThrough()   // PullThrough hook for the upstream prefixes
 * mirror.run(rules, p)   // scheduled or on command
 * mirror.export(sel, file, p) / mirror.importArchive(file, options, p)
 * </pre>
 *
 * @see PullThroughCache
 * @see Mirroring
 */
public final class Mirror implements AutoCloseable {
    private final MirrorSettings settings;
    private final LocalContent local;
    private final PullThroughCache pullThrough;
    private final Mirroring mirroring;
    private final ArchiveExport export;
    private final ArchiveImport imports;

    private Mirror(MirrorSettings settings, LocalContent local, PullThroughCache pullThrough, Mirroring mirroring,
                   ArchiveExport export, ArchiveImport imports) {
        this.settings = settings;
        this.local = local;
        this.pullThrough = pullThrough;
        this.mirroring = mirroring;
        this.export = export;
        this.imports = imports;
    }

    /**
     * @param remote   the client all upstream traffic goes through (its address policy must allow the upstreams)
     * @param policies the trust policies {@code onlySigned} and imports verify against, read when they are needed
     * @param spoolDir a local directory for blobs on their way from an upstream to clients
     * @param events   told after every manifest or tag the mirror stores
     */
    public static Mirror create(MirrorSettings settings, RegistryStorage storage, RemoteClient remote, Supplier<TrustPolicies> policies,
                                VerificationLimits verificationLimits, MirrorLimits limits, Path spoolDir, Clock clock,
                                StoreEvents events) {
        LocalContent local = new LocalContent(storage, events);
        Upstreams upstreams = Upstreams.create(settings.upstreams(), remote, limits);
        SignatureGate gate = new SignatureGate(policies, verificationLimits);
        PullThroughCache cache = new PullThroughCache(upstreams, local, limits, spoolDir, clock);
        return new Mirror(settings, local, cache, new Mirroring(upstreams, local, limits, gate),
                new ArchiveExport(local, limits, cache::fetchBlob), new ArchiveImport(local, limits, gate));
    }

    public MirrorSettings settings() {
        return settings;
    }

    public PullThroughCache pullThrough() {
        return pullThrough;
    }

    /** Runs rules now (the scheduler and {@code mirror run} call this; one run at a time). */
    public MirrorReport run(List<MirrorRule> rules, Progress progress) {
        return mirroring.run(rules, progress);
    }

    public ExportReport export(ExportSelection selection, Path archive, Progress progress) throws IOException {
        return export.export(selection, archive, progress);
    }

    /** @throws ImportRefusedException when the archive is refused; nothing of it is visible then */
    public ImportReport importArchive(Path archive, ImportOptions options, Progress progress) throws IOException {
        return imports.importArchive(archive, options, progress);
    }

    /** Removes staging objects a crash left behind (older than {@code age}). */
    public int purgeStaging(Duration age) {
        return local.purgeStaging(age);
    }

    @Override
    public void close() {
        pullThrough.close();
    }
}
