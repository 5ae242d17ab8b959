package dev.akua.registry.storage.lease;

import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.layout.Layout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A lease object in storage that keeps a maintenance task to one holder at a time across replicas
 * sharing the storage ({@code /_gc/leases/<task>}). No consensus protocol: the bucket is the only
 * shared state and plain PUTs have no compare-and-swap, so acquiring is write, wait
 * {@code settle}, read back. Two replicas racing both see the last writer's name after the wait,
 * provided each took less than {@code settle} between its read and its write, which the acquire
 * checks on its own clock (and backs off otherwise). Replicas' clocks must agree to well within
 * the TTL.
 *
 * <p>The lease is an efficiency measure: the collector is written to be safe even when two runs
 * overlap (every step is idempotent and the trash protocol holds between any two writers).
 *
 * <p>Format: {@code holder=<id>\nexpiresAt=<ISO instant>\n}.
 */
public final class Lease {
    private final StorageDriver driver;
    private final String path;
    private final String holder;
    private final Duration ttl;
    private final Clock clock;
    private Instant expiresAt;

    private Lease(StorageDriver driver, String path, String holder, Duration ttl, Clock clock, Instant expiresAt) {
        this.driver = driver;
        this.path = path;
        this.holder = holder;
        this.ttl = ttl;
        this.clock = clock;
        this.expiresAt = expiresAt;
    }

    /** What a lease object says. */
    public record Holder(String id, Instant expiresAt) {
    }

    /** Takes the lease of {@code task} unless another holder's lease is still valid. */
    public static Optional<Lease> acquire(StorageDriver driver, String task, LeaseOptions options, Clock clock) throws IOException {
        return acquire(driver, task, options.holder(), options.ttl(), options.settle(), clock);
    }

    /** As {@link #acquire(StorageDriver, String, LeaseOptions, Clock)}. */
    public static Optional<Lease> acquire(StorageDriver driver, String task, String holder, Duration ttl, Duration settle,
                                          Clock clock) throws IOException {
        String path = Layout.lease(task);
        Instant before = clock.instant();
        Optional<Holder> current = read(driver, path);
        if (current.isPresent() && !current.get().id().equals(holder) && current.get().expiresAt().isAfter(before)) {
            return Optional.empty();
        }
        Instant expires = clock.instant().plus(ttl);
        write(driver, path, holder, expires);
        if (Duration.between(before, clock.instant()).compareTo(settle) > 0) {
            // Slower between read and write than the others wait: a racing acquirer may already have
            // re-read and started. Back off (taking our lease object back) and try at the next run.
            Optional<Holder> now = read(driver, path);
            if (now.isPresent() && now.get().id().equals(holder)) {
                try {
                    driver.delete(path);
                } catch (PathNotFoundException e) {
                    // gone already
                }
            }
            return Optional.empty();
        }
        sleep(settle);
        Optional<Holder> after = read(driver, path);
        if (after.isEmpty() || !after.get().id().equals(holder)) {
            return Optional.empty();
        }
        return Optional.of(new Lease(driver, path, holder, ttl, clock, expires));
    }

    /** The current holder of a task's lease, if any (expired or not). */
    public static Optional<Holder> holderOf(StorageDriver driver, String task) throws IOException {
        return read(driver, Layout.lease(task));
    }

    /** Extends the lease; fails if another holder took it meanwhile (ours had expired). */
    public void renew() throws IOException {
        Optional<Holder> current = read(driver, path);
        if (current.isEmpty() || !current.get().id().equals(holder)) {
            throw new IOException("lease " + path + " was lost to " + current.map(Holder::id).orElse("nobody"));
        }
        expiresAt = clock.instant().plus(ttl);
        write(driver, path, holder, expiresAt);
    }

    /** Gives the lease up, if still ours. */
    public void release() throws IOException {
        Optional<Holder> current = read(driver, path);
        if (current.isPresent() && current.get().id().equals(holder)) {
            try {
                driver.delete(path);
            } catch (PathNotFoundException e) {
                // gone already
            }
        }
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    private static Optional<Holder> read(StorageDriver driver, String path) throws IOException {
        String text;
        try {
            text = new String(driver.getContent(path), StandardCharsets.UTF_8);
        } catch (PathNotFoundException e) {
            return Optional.empty();
        }
        String id = null;
        Instant expires = Instant.EPOCH;
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            if (key.equals("holder")) {
                id = value;
            } else if (key.equals("expiresAt")) {
                try {
                    expires = Instant.parse(value);
                } catch (RuntimeException e) {
                    expires = Instant.EPOCH; // unreadable: treat as expired
                }
            }
        }
        return id == null ? Optional.empty() : Optional.of(new Holder(id, expires));
    }

    private static void write(StorageDriver driver, String path, String holder, Instant expires) throws IOException {
        driver.putContent(path, ("holder=" + holder + "\nexpiresAt=" + expires + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while acquiring a lease", e);
        }
    }
}
