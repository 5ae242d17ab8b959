package dev.akua.registry.feature.maintenance;

import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RegistryFeature;
import dev.akua.registry.storage.retention.TagProtection;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Garbage collection, retention, scrub and upload purge on a schedule. One scheduler thread runs
 * the tasks one after another; across replicas each task holds a lease in storage, so configuring
 * the same schedule on every replica is fine (one of them does the work).
 */
public final class MaintenanceFeature implements RegistryFeature {
    private static final Logger LOG = Logger.getLogger(MaintenanceFeature.class.getName());
    private final Maintenance maintenance;
    private ScheduledExecutorService scheduler;

    private MaintenanceFeature(Maintenance maintenance) {
        this.maintenance = maintenance;
    }

    /** Always present: it publishes {@link Maintenance} for the CLI; it schedules only what has an interval. */
    public static Optional<RegistryFeature> create(FeatureContext context) {
        MaintenanceConfig config = MaintenanceConfig.from(context.config());
        // Looked up at each run: the feature publishing the immutable-tag rule may be built after this one.
        Maintenance maintenance = new Maintenance(context.storage(), config,
                () -> context.service(TagProtection.class).orElse(TagProtection.NONE), context.clock());
        context.publish(Maintenance.class, maintenance);
        return Optional.of(new MaintenanceFeature(maintenance));
    }

    @Override
    public String name() {
        return "maintenance";
    }

    @Override
    public void start() {
        MaintenanceConfig c = maintenance.config();
        if (c.gcInterval().isZero() && c.retentionInterval().isZero() && c.scrubInterval().isZero() && c.purgeInterval().isZero()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "akua-maintenance");
            t.setDaemon(true);
            return t;
        });
        schedule("retention", c.retentionInterval(), () -> {
            var r = maintenance.applyRetention(false);
            return new Outcome(r.summary(), !r.removed().isEmpty());
        });
        schedule("gc", c.gcInterval(), () -> {
            var r = maintenance.collectGarbage(false);
            return new Outcome(r.summary(), !r.manifests().isEmpty() || !r.sidecarTags().isEmpty() || !r.blobs().isEmpty()
                    || r.restored() > 0 || r.purgedBatches() > 0);
        });
        schedule("purge", c.purgeInterval(), () -> {
            var r = maintenance.purgeUploads(false);
            return new Outcome(r.summary(), !r.sessions().isEmpty() || r.abandonedWrites() > 0);
        });
        schedule("scrub", c.scrubInterval(), () -> {
            var r = maintenance.scrub(false);
            return new Outcome(r.summary(), r.skipped().isEmpty());
        });
    }

    /** A run's one-line summary; runs that changed something are logged at INFO, idle ones at FINE. */
    private record Outcome(String summary, boolean eventful) {
    }

    @FunctionalInterface
    private interface Task {
        Outcome run() throws Exception;
    }

    private void schedule(String name, Duration interval, Task task) {
        if (interval.isZero()) {
            return;
        }
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                Outcome outcome = task.run();
                LOG.log(outcome.eventful() ? Level.INFO : Level.FINE, outcome.summary());
            } catch (Exception e) {
                // a storage outage or a bug: log it and try again at the next interval
                LOG.log(Level.WARNING, "scheduled " + name + " failed", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
