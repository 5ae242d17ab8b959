package dev.akua.registry.auth;

import dev.akua.registry.auth.throttle.LoginThrottle;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Throttling through the facade, and the same answer in the same time for unknown users. */
class BruteForceTest {
    @TempDir
    Path dir;

    @Test
    void issueToken_repeatedWrongPasswordsForOneUser_429ThenRecovers() {
        AuthFixture f = new AuthFixture(dir);
        try (AccessControl access = f.open()) {
            for (int i = 0; i < 5; i++) {
                assertInstanceOf(TokenDecision.Unauthorized.class,
                        access.issueToken(AuthFixture.basic("bob", "guess" + i), "198.51.100." + i, null, List.of()));
            }
            TokenDecision d = access.issueToken(AuthFixture.basic("bob", AuthFixture.PASSWORD), "198.51.100.99", null, List.of());
            OciException e = assertInstanceOf(TokenDecision.Throttled.class, d, "even the right password waits: no oracle").toException();
            assertEquals(429, e.status());
            assertEquals(ErrorCode.TOOMANYREQUESTS, e.code());
            assertEquals("60", e.headers().get("Retry-After"));
            assertInstanceOf(TokenDecision.Issued.class,
                    access.issueToken(AuthFixture.basic("alice", AuthFixture.PASSWORD), "198.51.100.99", null, List.of()));
            f.clock.advance(Duration.ofSeconds(60));
            assertInstanceOf(TokenDecision.Issued.class,
                    access.issueToken(AuthFixture.basic("bob", AuthFixture.PASSWORD), "198.51.100.99", null, List.of()));
        }
    }

    @Test
    void authorize_robotGuessesFromOneAddress_429OnRegistryRequests() {
        AuthFixture f = new AuthFixture(dir);
        Scope pull = Scope.repository(RepositoryName.parse("team/app"), Action.PULL);
        try (AccessControl access = f.open()) {
            for (int i = 0; i < 10; i++) {
                String guess = "akr_" + "abcdefghijklmnop" + "_" + String.format("%064x", i);
                assertInstanceOf(AuthDecision.Unauthorized.class, access.authorize("Bearer " + guess, "203.0.113.9", List.of(pull)));
            }
            AuthDecision d = access.authorize("Bearer " + f.robotSecret, "203.0.113.9", List.of(pull));
            AuthDecision.Throttled t = assertInstanceOf(AuthDecision.Throttled.class, d);
            assertEquals("30", t.retryAfterHeader());
            assertEquals(ErrorCode.TOOMANYREQUESTS, t.toException().code());
            assertEquals("30", t.toException().headers().get("Retry-After"));
            assertInstanceOf(AuthDecision.Allowed.class, access.authorize("Bearer " + f.robotSecret, "203.0.113.10", List.of(pull)));
            assertInstanceOf(TokenDecision.Throttled.class,
                    access.issueToken(AuthFixture.basic("alice", AuthFixture.PASSWORD), "203.0.113.9", null, List.of()));
        }
    }

    /**
     * An unknown user costs one bcrypt at the cost the file's users have, like a wrong password
     * for a known user: the medians must be of the same order (without the dummy hash the unknown
     * user would answer in microseconds, a thousand times faster).
     */
    @Test
    void issueToken_unknownUserAndWrongPassword_sameAnswerSimilarTime() throws Exception {
        AuthFixture f = new AuthFixture(dir);
        new dev.akua.registry.auth.principal.UserFileEditor(f.usersFile()).put("slow",
                new dev.akua.registry.auth.principal.Passwords(f.random).hash("pw".toCharArray(), 10), false);
        for (String u : List.of("alice", "bob", "carol", "dave")) {
            new dev.akua.registry.auth.principal.UserFileEditor(f.usersFile()).put(u,
                    new dev.akua.registry.auth.principal.Passwords(f.random).hash("pw".toCharArray(), 10), true);
        }
        AuthConfig config = f.config().throttle(new LoginThrottle.Limits(0, 0, Duration.ofMinutes(1), 10)).build();
        try (AccessControl access = AccessControl.create(config, f.clock)) {
            long[] known = new long[7];
            long[] unknown = new long[7];
            String knownMessage = null;
            String unknownMessage = null;
            for (int i = 0; i < known.length; i++) {
                long t0 = System.nanoTime();
                TokenDecision a = access.issueToken(AuthFixture.basic("slow", "wrong"), AuthFixture.CLIENT, null, List.of());
                long t1 = System.nanoTime();
                TokenDecision b = access.issueToken(AuthFixture.basic("nobody-" + i, "wrong"), AuthFixture.CLIENT, null, List.of());
                long t2 = System.nanoTime();
                known[i] = t1 - t0;
                unknown[i] = t2 - t1;
                knownMessage = ((TokenDecision.Unauthorized) a).toException().getMessage();
                unknownMessage = ((TokenDecision.Unauthorized) b).toException().getMessage();
            }
            assertEquals(knownMessage, unknownMessage);
            double ratio = (double) median(unknown) / median(known);
            assertTrue(ratio > 0.4 && ratio < 2.5, "unknown/known time ratio " + ratio
                    + " (known median " + median(known) / 1_000_000 + " ms)");
        }
    }

    private static long median(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }
}
