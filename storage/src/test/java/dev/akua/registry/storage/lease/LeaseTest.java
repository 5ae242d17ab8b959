package dev.akua.registry.storage.lease;

import dev.akua.registry.storage.MutableClock;
import dev.akua.registry.storage.driver.InMemoryDriver;
import dev.akua.registry.storage.layout.Layout;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseTest {
    static final Duration TTL = Duration.ofMinutes(1);
    static final Duration SETTLE = Duration.ofMillis(10);
    final InMemoryDriver driver = new InMemoryDriver();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private Optional<Lease> acquire(String holder, Clock c) throws IOException {
        return Lease.acquire(driver, "gc", holder, TTL, SETTLE, c);
    }

    @Test
    void acquire_free_takesItAndOthersAreRefused() throws Exception {
        Lease a = acquire("a", clock).orElseThrow();
        assertTrue(acquire("b", clock).isEmpty());
        assertEquals("a", Lease.holderOf(driver, "gc").orElseThrow().id());
        a.release();
        assertTrue(acquire("b", clock).isPresent());
    }

    @Test
    void acquire_expired_takenOverAndTheOldHolderCannotRenew() throws Exception {
        Lease a = acquire("a", clock).orElseThrow();
        clock.advance(TTL.plusSeconds(1));
        Lease b = acquire("b", clock).orElseThrow();
        assertThrows(IOException.class, a::renew);
        a.release(); // not ours any more: leaves b's lease alone
        assertEquals("b", Lease.holderOf(driver, "gc").orElseThrow().id());
        b.renew();
    }

    @Test
    void acquire_slowerThanSettle_backsOffAndLeavesNoLeaseBehind() throws Exception {
        // every reading of this clock is a second later: the read→write gap exceeds the settle time
        Clock slow = new Clock() {
            private Instant now = Instant.parse("2026-01-01T00:00:00Z");

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public synchronized Instant instant() {
                now = now.plusSeconds(1);
                return now;
            }
        };
        assertTrue(acquire("slow", slow).isEmpty());
        assertFalse(driver.exists(Layout.lease("gc")), "a backed-off acquirer does not block the others");
        assertTrue(acquire("b", clock).isPresent());
    }
}
