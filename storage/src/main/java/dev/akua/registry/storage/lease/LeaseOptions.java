package dev.akua.registry.storage.lease;

import java.time.Duration;
import java.util.Objects;

/**
 * How maintenance tasks hold their {@link Lease}.
 *
 * @param holder identity of this process in lease objects (host, pid, random)
 * @param ttl    how long a lease lasts between renewals
 * @param settle wait between writing and re-reading the lease object
 */
public record LeaseOptions(String holder, Duration ttl, Duration settle) {
    public LeaseOptions {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(settle, "settle");
        if (holder.isBlank() || holder.contains("\n")) {
            throw new IllegalArgumentException("lease holder must be a non-empty single line");
        }
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || settle.isNegative() || settle.compareTo(ttl) >= 0) {
            throw new IllegalArgumentException("lease TTL must be at least 1 s and longer than the settle time");
        }
    }

    /** A holder name unique to this process. */
    public static String processHolder() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + Long.toHexString(new java.security.SecureRandom().nextLong() & 0xffffffL);
    }
}
