package dev.akua.registry.feature.maintenance;

import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.server.RegistryServer;
import dev.akua.registry.storage.gc.GcReport;
import dev.akua.registry.storage.purge.PurgeReport;
import dev.akua.registry.storage.retention.RetentionReport;
import dev.akua.registry.storage.scrub.ScrubReport;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code akua-registry gc|retention|scrub|purge [--dry-run] [--config FILE]}: runs one maintenance
 * task against the configured storage, directly, while registries serve it (the same lease as the
 * scheduled runs keeps it to one holder). Exit codes: 0 done, 1 skipped (lease held elsewhere),
 * storage unavailable, or scrub found corrupt blobs; 2 usage or configuration error.
 */
public final class MaintenanceCommand implements CliCommand {
    public enum Task { GC, RETENTION, SCRUB, PURGE }

    private final Task task;

    public MaintenanceCommand(Task task) {
        this.task = task;
    }

    @Override
    public String name() {
        return task.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String summary() {
        String what = switch (task) {
            case GC -> "collect garbage: orphaned referrers, untagged manifests per gc.untagged, unreferenced blobs";
            case RETENTION -> "remove tags retention.rules do not keep (never immutable ones)";
            case SCRUB -> "re-hash every blob; quarantine corrupt ones so a re-push repairs them";
            case PURGE -> "remove upload sessions idle longer than purge.uploadMaxAgeSeconds";
        };
        return "[--dry-run]  " + what;
    }

    @Override
    public int run(List<String> args, RegistryConfig config, PrintStream out, PrintStream err) {
        boolean dryRun = false;
        for (String a : args) {
            if (a.equals("--dry-run")) {
                dryRun = true;
            } else {
                err.println("unknown option for " + name() + ": " + a);
                err.println("usage: akua-registry " + name() + " " + summary());
                return 2;
            }
        }
        try (RegistryServer.Offline registry = RegistryServer.offline(config)) {
            Maintenance maintenance = registry.context().service(Maintenance.class)
                    .orElseThrow(() -> new IllegalStateException("the maintenance feature is not wired"));
            return switch (task) {
                case GC -> print(maintenance.collectGarbage(dryRun), out);
                case RETENTION -> print(maintenance.applyRetention(dryRun), out);
                case SCRUB -> print(maintenance.scrub(dryRun), out);
                case PURGE -> print(maintenance.purgeUploads(dryRun), out);
            };
        } catch (IOException | OciException e) {
            err.println(name() + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static int print(GcReport r, PrintStream out) {
        r.manifests().forEach(m -> out.println("manifest " + m));
        r.sidecarTags().forEach(t -> out.println("tag      " + t));
        r.blobs().forEach(b -> out.println("blob     " + b));
        out.println(r.summary());
        return r.skipped().isPresent() ? 1 : 0;
    }

    private static int print(RetentionReport r, PrintStream out) {
        r.removed().forEach(t -> out.println("tag      " + t));
        r.protectedKept().forEach(t -> out.println("kept     " + t + " (protected)"));
        out.println(r.summary());
        return r.skipped().isPresent() && !r.skipped().get().startsWith("no retention rules") ? 1 : 0;
    }

    private static int print(ScrubReport r, PrintStream out) {
        r.corrupt().forEach(c -> out.println("corrupt  " + c));
        out.println(r.summary());
        return r.skipped().isPresent() || !r.corrupt().isEmpty() ? 1 : 0;
    }

    private static int print(PurgeReport r, PrintStream out) {
        r.sessions().forEach(s -> out.println("upload   " + s));
        out.println(r.summary());
        return r.skipped().isPresent() ? 1 : 0;
    }
}
