package dev.akua.registry.feature.mirror;

import dev.akua.registry.mirror.Mirror;
import dev.akua.registry.mirror.MirrorReport;
import dev.akua.registry.mirror.MirrorRule;
import dev.akua.registry.mirror.Progress;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs each rule with an {@code intervalSeconds} on its own schedule (first run one interval after
 * start, then that long after the previous run ended), on one background thread: runs never
 * overlap, and {@code mirror run} from the CLI waits for a scheduled run in progress.
 */
final class MirrorScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MirrorScheduler.class.getName());
    private final ScheduledExecutorService executor;

    private MirrorScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    static MirrorScheduler start(Mirror mirror, List<MirrorRule> rules) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mirror-scheduler");
            t.setDaemon(true);
            return t;
        });
        for (MirrorRule rule : rules) {
            long seconds = rule.interval().toSeconds();
            if (seconds <= 0) {
                continue;
            }
            executor.scheduleWithFixedDelay(() -> runOnce(mirror, rule), seconds, seconds, TimeUnit.SECONDS);
        }
        return new MirrorScheduler(executor);
    }

    private static void runOnce(Mirror mirror, MirrorRule rule) {
        try {
            MirrorReport report = mirror.run(List.of(rule), Progress.NONE);
            LOG.info("mirror rule " + rule.name() + ": " + report.summary());
            report.failures().forEach(f -> LOG.warning("mirror rule " + rule.name() + ": " + f));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "mirror rule " + rule.name() + " failed", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
