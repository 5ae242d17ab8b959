package dev.akua.registry.remote.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ChallengeTest {

    @Test
    void parse_quotedScopeWithCommas_keepsWholeValue() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
                + "scope=\"repository:a/b:pull,push\"");
        assertEquals("bearer", c.scheme());
        assertEquals("https://auth.example/token", c.param("realm"));
        assertEquals("registry.example", c.param("service"));
        assertEquals("repository:a/b:pull,push", c.param("scope"));
    }

    @Test
    void parse_basicWithUnquotedRealm_readsRealm() {
        Challenge c = Challenge.parse("Basic realm=basic-realm");
        assertEquals("basic", c.scheme());
        assertEquals("basic-realm", c.param("realm"));
    }

    @Test
    void parse_twoChallenges_readsFirstOnly() {
        Challenge c = Challenge.parse("Basic realm=\"x\", Bearer realm=\"y\"");
        assertEquals("basic", c.scheme());
        assertEquals("x", c.param("realm"));
    }

    @Test
    void parse_escapedQuote_unescaped() {
        assertEquals("a\"b", Challenge.parse("Bearer realm=\"a\\\"b\"").param("realm"));
    }

    @Test
    void parse_garbage_emptyScheme() {
        assertEquals("", Challenge.parse("").scheme());
        assertNull(Challenge.parse("Bearer").param("realm"));
    }
}
