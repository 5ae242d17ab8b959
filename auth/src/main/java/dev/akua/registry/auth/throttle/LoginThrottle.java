package dev.akua.registry.auth.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Slows down password and token guessing. Each failed login adds one to a leaky bucket kept per
 * client address and one kept per user name; a bucket drains at {@code limit / window}. While a
 * bucket holds {@code limit} or more, attempts for that address or that user are refused before
 * any password is checked (so a throttled guess costs no bcrypt and reveals nothing), and the
 * refusal says when to retry. With the defaults (10 per address, 5 per user, per 5 minutes) a
 * burst of 10 guesses is followed by one guess every 30 seconds.
 *
 * <p>Memory is bounded: at most {@code maxTracked} buckets per dimension, evicted by Caffeine's
 * frequency-aware policy (so spraying many addresses does not easily flush a busy one), and idle
 * buckets expire after one window. IPv6 clients are keyed by their /64, the block one subscriber
 * usually holds.
 */
public final class LoginThrottle {
    /**
     * Limits.
     *
     * @param maxFailuresPerAddress failures from one address before throttling (0 disables that dimension)
     * @param maxFailuresPerUser    failures for one user name before throttling (0 disables that dimension)
     * @param window                time in which a full bucket drains
     * @param maxTracked            buckets kept per dimension
     */
    public record Limits(int maxFailuresPerAddress, int maxFailuresPerUser, Duration window, int maxTracked) {
        public Limits {
            if (maxFailuresPerAddress < 0 || maxFailuresPerUser < 0 || maxTracked < 1) {
                throw new IllegalArgumentException("throttle limits must not be negative and max-tracked at least 1");
            }
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("throttle window must be positive");
            }
        }

        public static Limits defaults() {
            return new Limits(10, 5, Duration.ofMinutes(5), 10_000);
        }
    }

    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[?[0-9a-fA-F:.]+(%[0-9A-Za-z]+)?]?");

    /** A bucket's level at a time; replaced, never mutated. */
    private record Bucket(double level, Instant at) {
        Bucket drainedTo(Instant now, double perSecond) {
            double seconds = Math.max(0, Duration.between(at, now).toNanos() / 1e9);
            return new Bucket(Math.max(0, level - seconds * perSecond), now);
        }
    }

    private final Limits limits;
    private final Clock clock;
    private final Cache<String, Bucket> byAddress;
    private final Cache<String, Bucket> byUser;

    public LoginThrottle(Limits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.byAddress = newCache(limits);
        this.byUser = newCache(limits);
    }

    private Cache<String, Bucket> newCache(Limits l) {
        return Caffeine.newBuilder()
                .maximumSize(l.maxTracked())
                .expireAfterAccess(l.window())
                .ticker(() -> clock.instant().toEpochMilli() * 1_000_000L)
                .build();
    }

    /**
     * How long the caller must wait before another attempt for this address and (if given) user,
     * or empty if it may try now.
     */
    public Optional<Duration> retryAfter(String address, String user) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        wait = max(wait, waitFor(byAddress, addressKey(address), limits.maxFailuresPerAddress(), now));
        if (user != null) {
            wait = max(wait, waitFor(byUser, userKey(user), limits.maxFailuresPerUser(), now));
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    /** Counts one failed attempt against the address and (if given) the user. */
    public void recordFailure(String address, String user) {
        Instant now = clock.instant();
        add(byAddress, addressKey(address), limits.maxFailuresPerAddress(), now);
        if (user != null) {
            add(byUser, userKey(user), limits.maxFailuresPerUser(), now);
        }
    }

    /** Buckets currently held, both dimensions together (for tests of the memory bound). */
    public long trackedEntries() {
        byAddress.cleanUp();
        byUser.cleanUp();
        return byAddress.estimatedSize() + byUser.estimatedSize();
    }

    private void add(Cache<String, Bucket> cache, String key, int limit, Instant now) {
        if (limit == 0) {
            return;
        }
        double rate = rate(limit);
        cache.asMap().compute(key, (k, b) -> {
            Bucket drained = b == null ? new Bucket(0, now) : b.drainedTo(now, rate);
            return new Bucket(drained.level() + 1, now);
        });
    }

    private Duration waitFor(Cache<String, Bucket> cache, String key, int limit, Instant now) {
        if (limit == 0) {
            return Duration.ZERO;
        }
        Bucket b = cache.getIfPresent(key);
        if (b == null) {
            return Duration.ZERO;
        }
        double level = b.drainedTo(now, rate(limit)).level();
        // The bucket leaks continuously, so after `limit` failures in a quick burst it holds a hair
        // less than `limit`; what matters is whether one more failure would overflow it.
        if (level <= limit - 1) {
            return Duration.ZERO;
        }
        double seconds = (level - limit + 1) / rate(limit);
        return Duration.ofSeconds(Math.max(1, (long) Math.ceil(seconds)));
    }

    private double rate(int limit) {
        return limit / (limits.window().toMillis() / 1000.0);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static String userKey(String user) {
        String u = user.toLowerCase(Locale.ROOT);
        return u.length() > 256 ? u.substring(0, 256) : u;
    }

    /** The address as given, except IPv6 literals, which are reduced to their /64. */
    static String addressKey(String address) {
        if (address == null || address.isEmpty()) {
            return "unknown";
        }
        if (address.length() > 64) {
            return address.substring(0, 64);
        }
        if (address.indexOf(':') >= 0 && IPV6_LITERAL.matcher(address).matches()) {
            try {
                String literal = address.replace("[", "").replace("]", "");
                int zone = literal.indexOf('%');
                if (zone >= 0) {
                    literal = literal.substring(0, zone);
                }
                // Only a literal reaches here (checked above), so this never asks DNS.
                byte[] bytes = java.net.InetAddress.getByName(literal).getAddress();
                if (bytes.length == 16) {
                    return "v6:" + java.util.HexFormat.of().formatHex(bytes, 0, 8) + "/64";
                }
                return java.net.InetAddress.getByAddress(bytes).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return address;
            }
        }
        return address;
    }
}
