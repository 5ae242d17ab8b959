package dev.akua.registry.auth.throttle;

import dev.akua.registry.auth.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(LoginThrottle.Limits.defaults(), clock);

    @Test
    void retryAfter_tenFailuresFromOneAddress_throttledThenDrains() {
        for (int i = 0; i < 9; i++) {
            throttle.recordFailure("203.0.113.5", "user" + i);
        }
        assertEquals(Optional.empty(), throttle.retryAfter("203.0.113.5", "someone"));
        throttle.recordFailure("203.0.113.5", "user9");
        assertEquals(Optional.of(Duration.ofSeconds(30)), throttle.retryAfter("203.0.113.5", "someone"),
                "10 per 5 minutes drains one failure every 30 s");
        assertEquals(Optional.empty(), throttle.retryAfter("203.0.113.6", "someone"), "other addresses are not affected");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(Optional.empty(), throttle.retryAfter("203.0.113.5", "someone"));
        throttle.recordFailure("203.0.113.5", "user10");
        assertTrue(throttle.retryAfter("203.0.113.5", "someone").isPresent(), "a full bucket admits one guess per drain step");
    }

    @Test
    void retryAfter_fiveFailuresForOneUserFromManyAddresses_userThrottled() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("198.51.100." + i, "Bob");
        }
        Optional<Duration> wait = throttle.retryAfter("198.51.100.77", "bob");
        assertEquals(Optional.of(Duration.ofSeconds(60)), wait, "5 per 5 minutes drains one every 60 s; names compare case-insensitively");
        assertEquals(Optional.empty(), throttle.retryAfter("198.51.100.77", "alice"));
    }

    @Test
    void retryAfter_burstSpreadOverMilliseconds_throttledAfterExactlyTheLimit() {
        // real requests are not instantaneous: the bucket has leaked a little between failures
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(150));
            throttle.recordFailure("198.51.100." + i, "carol");
        }
        assertTrue(throttle.retryAfter("198.51.100.9", "carol").isPresent(),
                "the 6th attempt waits although the bucket drained a fraction since the 1st");
    }

    @Test
    void retryAfter_ipv6SameSlash64_sharesOneBucket() {
        for (int i = 0; i < 10; i++) {
            throttle.recordFailure("2001:db8:1:2::" + Integer.toHexString(i + 1), null);
        }
        assertTrue(throttle.retryAfter("2001:db8:1:2:ffff::1", null).isPresent());
        assertTrue(throttle.retryAfter("[2001:db8:1:2::99]", null).isPresent());
        assertEquals(Optional.empty(), throttle.retryAfter("2001:db8:1:3::1", null));
    }

    @Test
    void recordFailure_manyDistinctKeys_memoryStaysBounded() {
        LoginThrottle small = new LoginThrottle(new LoginThrottle.Limits(10, 5, Duration.ofMinutes(5), 500), clock);
        for (int i = 0; i < 20_000; i++) {
            small.recordFailure("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), "u" + i);
        }
        long tracked = small.trackedEntries();
        assertTrue(tracked <= 1000, "at most 500 per dimension, got " + tracked);
    }

    @Test
    void recordFailure_zeroLimit_dimensionDisabled() {
        LoginThrottle off = new LoginThrottle(new LoginThrottle.Limits(0, 0, Duration.ofMinutes(5), 10), clock);
        for (int i = 0; i < 100; i++) {
            off.recordFailure("203.0.113.5", "bob");
        }
        assertEquals(Optional.empty(), off.retryAfter("203.0.113.5", "bob"));
    }

    @Test
    void addressKey_literalsOnly_neverResolved() {
        assertEquals("v6:20010db800010002/64", LoginThrottle.addressKey("2001:db8:1:2:3:4:5:6"));
        assertEquals("registry.example", LoginThrottle.addressKey("registry.example"));
        assertEquals("unknown", LoginThrottle.addressKey(null));
    }
}
