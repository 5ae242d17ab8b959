package dev.akua.registry.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which token endpoint a challenge names. Without {@code auth.realm} or {@code http.publicUrl} it
 * is derived from the address the client used (its {@code Host}), so a client reaching the
 * registry as {@code localhost}, by a LAN address or through a port-forward gets a realm it can
 * reach; a {@code Host} that is not a plain {@code host[:port]} is never echoed (akua would choke
 * on a comma in it) and the local address is used instead. Configured values always win.
 */
class AuthRealmTest {
    @TempDir
    Path root;

    /** The challenge for a pull of {@code team/app} sent with this {@code Host} header. */
    private static Map<String, String> challengeFor(AuthTestRegistry auth, String host) throws IOException {
        RawHttp.Response r = withHost(auth.port(), host);
        assertEquals(401, r.status(), () -> host + ": " + r.text());
        assertEquals(1, r.headers().stream().filter(h -> h[0].equalsIgnoreCase("WWW-Authenticate")).count(), host);
        return AkuaAuthClient.parseChallenge(r.header("WWW-Authenticate").orElseThrow());
    }

    private static RawHttp.Response withHost(int port, String host) throws IOException {
        return new RawHttp("127.0.0.1", port).exchangeWithHost(host, "GET", "/v2/team/app/tags/list", List.of(), null);
    }

    @Test
    void realm_notConfigured_followsTheHostTheClientUsed() throws Exception {
        try (AuthTestRegistry auth = AuthTestRegistry.start(root, "", Map.of())) {
            int port = auth.port();
            assertEquals("http://127.0.0.1:" + port + "/token", challengeFor(auth, "127.0.0.1:" + port).get("realm"));
            assertEquals("http://localhost:" + port + "/token", challengeFor(auth, "localhost:" + port).get("realm"));
            assertEquals("http://registry.lan:8080/token", challengeFor(auth, "registry.lan:8080").get("realm"),
                    "behind a port-forward the client's own view of the address is what it can reach");
            assertEquals("http://[::1]:" + port + "/token", challengeFor(auth, "[::1]:" + port).get("realm"));
            // not a plain host[:port]: never echoed. Helidon refuses some such Host headers itself
            // (400); those it lets through get the local address as realm.
            int reachedGate = 0;
            for (String hostile : List.of("evil.example,scope=\"x\"", "a b", "x\"y", "host:port", "under_score.example",
                    "a..b", "-lead.example", "[zz::1]")) {
                RawHttp.Response r = withHost(port, hostile);
                r.headers().stream().filter(h -> h[0].equalsIgnoreCase("WWW-Authenticate"))
                        .forEach(h -> assertFalse(h[1].contains(hostile), h[1]));
                if (r.status() == 401) {
                    reachedGate++;
                    assertEquals("http://127.0.0.1:" + port + "/token",
                            AkuaAuthClient.parseChallenge(r.header("WWW-Authenticate").orElseThrow()).get("realm"), hostile);
                } else {
                    assertEquals(400, r.status(), hostile + ": " + r.text());
                }
            }
            assertTrue(reachedGate > 0, "at least one malformed Host reached the gate, so the fallback was exercised");
            // the derived realm really is the token endpoint
            AkuaAuthClient client = AkuaAuthClient.anonymous(port);
            RawHttp.Response r = client.operation().send("GET", "/v2/", List.of(), null);
            assertEquals(200, r.status(), "a token, even an anonymous one, passes the version check (as on Docker Hub)");
            assertEquals(1, client.tokenRequests.size(), "the realm answered with a token");
        }
    }

    @Test
    void realm_publicUrlConfigured_usedWhateverTheHost() throws Exception {
        try (AuthTestRegistry auth = AuthTestRegistry.start(root, "",
                Map.of("AKUA_REGISTRY_HTTP_PUBLICURL", "https://registry.example.com"))) {
            assertEquals("https://registry.example.com/token", challengeFor(auth, "127.0.0.1:" + auth.port()).get("realm"));
            assertEquals("https://registry.example.com/token", challengeFor(auth, "other.example").get("realm"));
        }
    }

    @Test
    void realm_authRealmConfigured_winsOverPublicUrl() throws Exception {
        try (AuthTestRegistry auth = AuthTestRegistry.start(root, "  realm: \"https://auth.example.com:8443/v2/token\"\n",
                Map.of("AKUA_REGISTRY_HTTP_PUBLICURL", "https://registry.example.com"))) {
            Map<String, String> c = challengeFor(auth, "127.0.0.1:" + auth.port());
            assertEquals("https://auth.example.com:8443/v2/token", c.get("realm"));
            assertEquals("akua-registry", c.get("service"));
            assertEquals("repository:team/app:pull", c.get("scope"));
        }
    }
}
