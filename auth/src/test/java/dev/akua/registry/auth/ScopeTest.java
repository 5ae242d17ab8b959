package dev.akua.registry.auth;

import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScopeTest {
    @Test
    void parse_dockerGrammar_roundTrips() {
        Scope s = Scope.parse("repository:acme/charts/app:push,pull");
        assertEquals(ResourceType.REPOSITORY, s.type());
        assertEquals(RepositoryName.parse("acme/charts/app"), s.repository());
        assertEquals("repository:acme/charts/app:pull,push", s.toString());
        assertEquals("registry:catalog:*", Scope.parse("registry:catalog:*").toString());
    }

    @Test
    void challengeForms_multipleActions_oneScopePerActionNoComma() {
        Scope s = Scope.repository(RepositoryName.parse("a/b"), Action.PULL, Action.PUSH, Action.DELETE);
        assertEquals(List.of("repository:a/b:pull", "repository:a/b:push", "repository:a/b:delete"), s.challengeForms());
        assertTrue(s.challengeForms().stream().noneMatch(f -> f.contains(",")));
    }

    @Test
    void parseRequested_unknownTypeOrActions_empty() {
        assertEquals(Optional.empty(), Scope.parseRequested("repository(plugin):a/b:pull"));
        assertEquals(Optional.empty(), Scope.parseRequested("repository:a/b:frob"));
        assertEquals(Optional.empty(), Scope.parseRequested("registry:other:*"));
        assertEquals(Optional.empty(), Scope.parseRequested("repository:a/b:*"));
        assertEquals("repository:a/b:pull", Scope.parseRequested("repository:a/b:pull,frob").orElseThrow().toString());
    }

    @Test
    void parse_malformed_badRequestErrors() {
        OciException name = assertThrows(OciException.class, () -> Scope.parse("repository:A/B:pull"));
        assertEquals(ErrorCode.NAME_INVALID, name.code());
        assertEquals(400, name.status());
        for (String bad : List.of("", "repository", "repository:a", ":a:pull", "repository:a:", "x".repeat(600) + ":a:pull")) {
            OciException e = assertThrows(OciException.class, () -> Scope.parse(bad), bad);
            assertEquals(400, e.status(), bad);
        }
    }

    @Test
    void challenge_severalScopes_akuaParsesRealmServiceScopeIntact() {
        Scope upload = Scope.repository(RepositoryName.parse("acme/charts/app"), Action.PULL, Action.PUSH);
        Scope mountSource = Scope.repository(RepositoryName.parse("acme/base"), Action.PULL);
        String header = Challenges.bearer(URI.create("https://registry.example:8443/token?x=1&y=2"), "akua-registry",
                List.of(upload, mountSource), Challenges.INSUFFICIENT_SCOPE);
        Map<String, String> parsed = AkuaChallenge.parse(header);
        assertEquals(Map.of(
                "realm", "https://registry.example:8443/token?x=1&y=2",
                "service", "akua-registry",
                "scope", "repository:acme/charts/app:pull repository:acme/charts/app:push repository:acme/base:pull",
                "error", "insufficient_scope"), parsed);
        assertEquals("Bearer realm=\"https://registry.example:8443/token?x=1&y=2\",service=\"akua-registry\","
                + "scope=\"repository:acme/charts/app:pull repository:acme/charts/app:push repository:acme/base:pull\","
                + "error=\"insufficient_scope\"", header);
    }

    @Test
    void challenge_catalog_parsesIntact() {
        Map<String, String> parsed = AkuaChallenge.parse(
                Challenges.bearer(URI.create("http://127.0.0.1:5000/token"), "svc", List.of(Scope.catalog()), null));
        assertEquals("registry:catalog:*", parsed.get("scope"));
        assertFalse(parsed.containsKey("error"));
    }

    @Test
    void authConfig_commaOrQuoteInRealmOrService_refused() {
        AuthConfig.Builder b = AuthConfig.builder(java.nio.file.Path.of("/tmp/x")).enabled(true);
        assertThrows(IllegalArgumentException.class, () -> b.realm(URI.create("http://h/token?a=1,2")).build());
        assertThrows(IllegalArgumentException.class, () -> b.realm(URI.create("http://h/token")).service("a,b").build());
        assertThrows(IllegalArgumentException.class, () -> b.realm(URI.create("/token")).service("ok").build());
        assertThrows(IllegalArgumentException.class, () -> AuthConfig.builder(java.nio.file.Path.of("/tmp/x")).enabled(true).build(),
                "enabled needs a realm");
        AuthConfig open = AuthConfig.builder(java.nio.file.Path.of("/tmp/x")).build();
        assertFalse(open.enabled(), "auth is off by default (embedded quick start)");
    }

    @Test
    void credentials_parse_schemesAndLimits() {
        assertTrue(Credentials.parse(null) instanceof Credentials.None);
        assertTrue(Credentials.parse("bearer abc.def.ghi") instanceof Credentials.Bearer);
        assertTrue(Credentials.parse("Bearer ") instanceof Credentials.Malformed);
        assertTrue(Credentials.parse("Basic !!!") instanceof Credentials.Malformed);
        assertTrue(Credentials.parse("Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes())) instanceof Credentials.Malformed);
        assertTrue(Credentials.parse("Digest x") instanceof Credentials.OtherScheme);
        assertTrue(Credentials.parse("Bearer " + "a".repeat(9000)) instanceof Credentials.Malformed);
        Credentials.Basic b = (Credentials.Basic) Credentials.parse(AuthFixture.basic("al:ice", "p:w"));
        assertEquals("al", b.user());
        assertEquals("ice:p:w", new String(b.password()));
    }
}
