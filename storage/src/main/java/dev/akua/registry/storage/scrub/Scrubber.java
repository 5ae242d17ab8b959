package dev.akua.registry.storage.scrub;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.storage.driver.FileInfo;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.layout.Layout;
import dev.akua.registry.storage.lease.Lease;
import dev.akua.registry.storage.lease.LeaseOptions;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Re-hashes every blob in the content store (streaming, nothing held in memory) and moves those
 * whose bytes no longer hash to their digest to {@code /_quarantine}, where they stay for
 * inspection. With the bad copy gone from its digest path, the registry answers 404 for it and the
 * next push of the same content stores good bytes again: a re-push repairs it.
 */
public final class Scrubber {
    public static final String TASK = "scrub";
    private static final Logger LOG = Logger.getLogger(Scrubber.class.getName());
    private static final int BUFFER = 256 * 1024;

    private final StorageDriver driver;
    private final LeaseOptions lease;
    private final Clock clock;

    public Scrubber(StorageDriver driver, LeaseOptions lease, Clock clock) {
        this.driver = driver;
        this.lease = lease;
        this.clock = clock;
    }

    public ScrubReport run(boolean dryRun) throws IOException {
        Instant start = clock.instant();
        Lease held = null;
        if (!dryRun) {
            Optional<Lease> acquired = Lease.acquire(driver, TASK, lease, clock);
            if (acquired.isEmpty()) {
                return new ScrubReport(false, start, Duration.ZERO, Optional.of("lease held by another replica"), 0, 0, List.of());
            }
            held = acquired.get();
        }
        try {
            List<FileInfo> blobs = new ArrayList<>();
            driver.walk(Layout.BLOBS, blobs::add);
            long checked = 0;
            long bytes = 0;
            List<ScrubReport.Corrupt> corrupt = new ArrayList<>();
            Instant renewAt = clock.instant().plus(lease.ttl().dividedBy(3));
            for (FileInfo info : blobs) {
                Digest digest = Layout.blobDigestOf(info.path());
                if (digest == null) {
                    continue;
                }
                Optional<Digest> actual = hash(info.path(), digest);
                if (actual.isEmpty()) {
                    continue; // removed meanwhile
                }
                checked++;
                bytes += info.size();
                if (!actual.get().equals(digest)) {
                    String quarantine = null;
                    if (!dryRun) {
                        quarantine = Layout.quarantined(info.path());
                        try {
                            driver.move(info.path(), quarantine);
                        } catch (PathNotFoundException e) {
                            continue;
                        }
                    }
                    LOG.warning("scrub: blob " + digest + " is corrupt (hashes to " + actual.get() + ")"
                            + (quarantine == null ? "" : "; moved to " + quarantine));
                    corrupt.add(new ScrubReport.Corrupt(digest, actual.get(), info.size(), quarantine));
                }
                if (held != null && clock.instant().isAfter(renewAt)) {
                    held.renew();
                    renewAt = clock.instant().plus(lease.ttl().dividedBy(3));
                }
            }
            return new ScrubReport(dryRun, start, Duration.between(start, clock.instant()), Optional.empty(), checked, bytes, corrupt);
        } finally {
            if (held != null) {
                held.release();
            }
        }
    }

    private Optional<Digest> hash(String path, Digest expected) throws IOException {
        MessageDigest md = expected.algorithm().newMessageDigest();
        try (InputStream in = driver.reader(path, 0)) {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (PathNotFoundException e) {
            return Optional.empty();
        }
        return Optional.of(Digest.fromHash(expected.algorithm(), md.digest()));
    }
}
