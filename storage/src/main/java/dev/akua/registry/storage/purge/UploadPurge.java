package dev.akua.registry.storage.purge;

import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.storage.driver.AbandonedWrites;
import dev.akua.registry.storage.driver.FileInfo;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.driver.StoragePath;
import dev.akua.registry.storage.layout.Layout;
import dev.akua.registry.storage.lease.Lease;
import dev.akua.registry.storage.lease.LeaseOptions;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Removes upload sessions nobody has touched for {@code maxAge} (a client that gave up, a crash),
 * and asks the driver to discard writes its dead processes left unfinished. A session's last
 * activity is the newer of its info and data objects, so a slow chunked upload that is still
 * moving is never purged.
 */
public final class UploadPurge {
    public static final String TASK = "purge";

    private final StorageDriver driver;
    private final Duration maxAge;
    private final LeaseOptions lease;
    private final Clock clock;

    public UploadPurge(StorageDriver driver, Duration maxAge, LeaseOptions lease, Clock clock) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("upload max age must not be negative");
        }
        this.driver = driver;
        this.maxAge = maxAge;
        this.lease = lease;
        this.clock = clock;
    }

    public PurgeReport run(boolean dryRun) throws IOException {
        Instant start = clock.instant();
        Instant limit = start.minus(maxAge);
        Lease held = null;
        if (!dryRun) {
            Optional<Lease> acquired = Lease.acquire(driver, TASK, lease, clock);
            if (acquired.isEmpty()) {
                return new PurgeReport(false, start, Duration.ZERO, Optional.of("lease held by another replica"), List.of(), 0);
            }
            held = acquired.get();
        }
        try {
            List<PurgeReport.Session> expired = new ArrayList<>();
            List<String> uploadDirs = new ArrayList<>();
            findUploadDirs(Layout.REPOSITORIES, "", uploadDirs);
            for (String dir : uploadDirs) {
                String name = dir.substring(Layout.REPOSITORIES.length() + 1, dir.length() - Layout.UPLOADS_DIR.length() - 1);
                if (!RepositoryName.isValid(name)) {
                    continue;
                }
                RepositoryName repo = new RepositoryName(name);
                List<String> sessions;
                try {
                    sessions = driver.list(dir);
                } catch (PathNotFoundException e) {
                    continue;
                }
                for (String session : sessions) {
                    Instant last = lastActivity(session);
                    if (last != null && last.isBefore(limit)) {
                        expired.add(new PurgeReport.Session(repo, StoragePath.baseName(session), last));
                        if (!dryRun) {
                            try {
                                driver.delete(session);
                            } catch (PathNotFoundException e) {
                                // completed or cancelled meanwhile
                            }
                        }
                    }
                }
            }
            int abandoned = 0;
            if (!dryRun && driver instanceof AbandonedWrites a) {
                abandoned = a.discardAbandonedWrites(limit);
            }
            return new PurgeReport(dryRun, start, Duration.between(start, clock.instant()), Optional.empty(), expired, abandoned);
        } finally {
            if (held != null) {
                held.release();
            }
        }
    }

    /** The newest modification below a session directory, or null if it vanished. */
    private Instant lastActivity(String session) throws IOException {
        Instant[] newest = {null};
        driver.walk(session, (FileInfo info) -> {
            if (newest[0] == null || info.modifiedAt().isAfter(newest[0])) {
                newest[0] = info.modifiedAt();
            }
        });
        return newest[0];
    }

    /** Every {@code _uploads} directory below {@code /repositories}, descending only through repository-name directories. */
    private void findUploadDirs(String dir, String name, List<String> out) throws IOException {
        List<String> children;
        try {
            children = driver.list(dir);
        } catch (PathNotFoundException e) {
            return;
        }
        for (String child : children) {
            String base = StoragePath.baseName(child);
            if (base.equals(Layout.UPLOADS_DIR)) {
                out.add(child);
            } else if (!base.startsWith("_")) {
                findUploadDirs(child, name.isEmpty() ? base : name + "/" + base, out);
            }
        }
    }
}
