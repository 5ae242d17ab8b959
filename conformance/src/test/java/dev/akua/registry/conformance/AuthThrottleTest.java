package dev.akua.registry.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Brute-force resistance over HTTP (issue 3, build item 6 and "done when" item 4): repeated
 * failures for one user, or from one address, are answered 429 {@code TOOMANYREQUESTS} with
 * {@code Retry-After} — even for the right password once throttled, so guessing cannot continue —
 * and a wrong password and an unknown user get the same answer.
 */
class AuthThrottleTest {
    @TempDir
    Path root;

    private static void assertThrottled(Http.Resp r) {
        r.assertError(429, "TOOMANYREQUESTS");
        long retryAfter = Long.parseLong(r.header("Retry-After").orElseThrow(() -> new AssertionError("no Retry-After")));
        assertTrue(retryAfter >= 1 && retryAfter <= 600, "Retry-After " + retryAfter);
    }

    @Test
    void tokenEndpoint_repeatedWrongPasswordsForOneUser_429ThenEvenRightPasswordWaits() {
        try (AuthTestRegistry auth = AuthTestRegistry.start(root, "", Map.of(
                "AKUA_REGISTRY_AUTH_THROTTLE_MAXFAILURESPERUSER", "3",
                "AKUA_REGISTRY_AUTH_THROTTLE_WINDOW", "10m"))) {
            auth.addUser("alice", "alice-pw");
            auth.addUser("bob", "bob-pw");
            Http.Resp unknown = auth.tokenResponse(AuthTestRegistry.basic("nobody", "x")).assertError(401, "UNAUTHORIZED");
            for (int i = 0; i < 3; i++) {
                Http.Resp wrong = auth.tokenResponse(AuthTestRegistry.basic("alice", "guess-" + i)).assertError(401, "UNAUTHORIZED");
                assertEquals(unknown.text(), wrong.text(), "a wrong password and an unknown user get the same answer");
                assertEquals(unknown.header("WWW-Authenticate"), wrong.header("WWW-Authenticate"));
            }
            assertThrottled(auth.tokenResponse(AuthTestRegistry.basic("alice", "guess-3")));
            assertThrottled(auth.tokenResponse(AuthTestRegistry.basic("alice", "alice-pw")));
            assertEquals(200, auth.tokenResponse(AuthTestRegistry.basic("bob", "bob-pw")).status(),
                    "another user from the same address is not locked out by alice's bucket");
            assertEquals(4, auth.audit("login_failed").size(), "throttled attempts are refused before the password is checked");
        }
    }

    @Test
    void registry_repeatedBadRobotTokensFromOneAddress_429OnRegistryAndTokenEndpoint() {
        try (AuthTestRegistry auth = AuthTestRegistry.start(root, "", Map.of(
                "AKUA_REGISTRY_AUTH_THROTTLE_MAXFAILURESPERADDRESS", "4",
                "AKUA_REGISTRY_AUTH_THROTTLE_MAXFAILURESPERUSER", "0"))) {
            String robot = auth.createRobot("ci", "**:pull");
            for (int i = 0; i < 4; i++) {
                String suffix = String.format("%02x", robot.endsWith(String.format("%02x", i)) ? i + 100 : i);
                String guess = robot.substring(0, robot.length() - 2) + suffix;
                AuthHttp.bearer(auth.http, guess).get("/v2/any/repo/tags/list").assertError(401, "UNAUTHORIZED");
            }
            assertThrottled(AuthHttp.bearer(auth.http, robot + "0").get("/v2/any/repo/tags/list"));
            assertThrottled(auth.tokenResponse(AuthTestRegistry.basic("ci", robot)));
        }
    }
}
