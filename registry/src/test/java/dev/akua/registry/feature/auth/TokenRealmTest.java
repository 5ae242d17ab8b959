package dev.akua.registry.feature.auth;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenRealmTest {
    private static final URI FALLBACK = URI.create("http://127.0.0.1:5000/token");

    @Test
    void forOrigin_notConfigured_followsWellFormedOrigin() {
        TokenRealm realm = new TokenRealm(Optional.empty(), FALLBACK);
        assertEquals(URI.create("http://localhost:5000/token"), realm.forOrigin("http://localhost:5000"));
        assertEquals(URI.create("https://registry.lan/token"), realm.forOrigin("https://registry.lan"));
        assertEquals(URI.create("http://[::1]:5000/token"), realm.forOrigin("http://[::1]:5000"));
        assertEquals(URI.create("http://10.0.0.7:5000/token"), realm.forOrigin("http://10.0.0.7:5000"));
    }

    @Test
    void forOrigin_malformedOrMissing_fallback() {
        TokenRealm realm = new TokenRealm(Optional.empty(), FALLBACK);
        for (String bad : List.of("http://a,b", "http://a\"b", "http://a b", "ftp://x", "http://", "http://x:port",
                "http://x/path", "http://" + "a".repeat(300))) {
            assertEquals(FALLBACK, realm.forOrigin(bad), bad);
        }
        assertEquals(FALLBACK, realm.forOrigin(null));
    }

    @Test
    void forOrigin_configured_alwaysWins() {
        URI fixed = URI.create("https://registry.example.com/token");
        assertEquals(fixed, new TokenRealm(Optional.of(fixed), FALLBACK).forOrigin("http://localhost:5000"));
    }
}
