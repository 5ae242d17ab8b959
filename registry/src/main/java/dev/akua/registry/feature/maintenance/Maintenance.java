package dev.akua.registry.feature.maintenance;

import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.gc.GarbageCollector;
import dev.akua.registry.storage.gc.GcReport;
import dev.akua.registry.storage.lease.LeaseOptions;
import dev.akua.registry.storage.purge.PurgeReport;
import dev.akua.registry.storage.purge.UploadPurge;
import dev.akua.registry.storage.retention.Retention;
import dev.akua.registry.storage.retention.RetentionReport;
import dev.akua.registry.storage.retention.TagProtection;
import dev.akua.registry.storage.scrub.ScrubReport;
import dev.akua.registry.storage.scrub.Scrubber;

import java.io.IOException;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The maintenance tasks over one registry's storage: garbage collection, tag retention, scrub and
 * upload purge, each one holder at a time across replicas (a lease in storage). Published as a
 * feature service, so other features (and the CLI) run them on command.
 */
public final class Maintenance {
    private final GarbageCollector gc;
    private final RegistryStorage storage;
    private final MaintenanceConfig config;
    private final Supplier<TagProtection> immutableTags;
    private final LeaseOptions lease;
    private final Clock clock;
    private final Scrubber scrubber;
    private final UploadPurge purge;

    /**
     * @param immutableTags the registry's immutable-tag rule, looked up at each run (the auth feature
     *                      publishes it as a {@link TagProtection} service when immutable tags are configured)
     */
    Maintenance(RegistryStorage storage, MaintenanceConfig config, Supplier<TagProtection> immutableTags, Clock clock) {
        this.storage = storage;
        this.config = config;
        this.immutableTags = immutableTags;
        this.clock = clock;
        this.lease = new LeaseOptions(LeaseOptions.processHolder(), config.leaseTtl(), config.leaseSettle());
        this.gc = new GarbageCollector(storage, new ManifestParser(), config.gc(), lease, clock);
        this.scrubber = new Scrubber(storage.driver(), lease, clock);
        this.purge = new UploadPurge(storage.driver(), config.uploadMaxAge(), lease, clock);
    }

    public GcReport collectGarbage(boolean dryRun) throws IOException {
        return gc.run(dryRun);
    }

    public RetentionReport applyRetention(boolean dryRun) throws IOException {
        TagProtection protection = config.protection().or(immutableTags.get());
        return new Retention(storage, config.rules(), protection, lease, clock).run(dryRun);
    }

    public ScrubReport scrub(boolean dryRun) throws IOException {
        return scrubber.run(dryRun);
    }

    public PurgeReport purgeUploads(boolean dryRun) throws IOException {
        return purge.run(dryRun);
    }

    MaintenanceConfig config() {
        return config;
    }
}
