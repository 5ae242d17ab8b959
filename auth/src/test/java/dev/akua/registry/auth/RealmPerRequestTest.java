package dev.akua.registry.auth;

import dev.akua.registry.oci.RepositoryName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The realm passed per request (derived by the HTTP layer from the address the client used) is
 * the one the challenge names; a realm akua could not parse is refused before it reaches a header.
 */
class RealmPerRequestTest {
    @TempDir
    Path dir;
    AccessControl access;

    @BeforeEach
    void setUp() {
        access = new AuthFixture(dir).open();
    }

    @AfterEach
    void tearDown() {
        access.close();
    }

    @Test
    void authorize_realmGiven_challengeNamesItInsteadOfConfigured() {
        URI realm = URI.create("http://192.168.1.20:5000/token");
        AuthDecision d = access.authorize(null, AuthFixture.CLIENT,
                List.of(Scope.repository(RepositoryName.parse("team/app"), Action.PULL)), realm);
        AuthDecision.Unauthorized u = assertInstanceOf(AuthDecision.Unauthorized.class, d);
        Map<String, String> challenge = AkuaChallenge.parse(u.wwwAuthenticate());
        assertEquals(realm.toString(), challenge.get("realm"));
        assertEquals("repository:team/app:pull", challenge.get("scope"));
    }

    @Test
    void authorize_nullRealm_usesConfigured() {
        AuthDecision.Unauthorized u = assertInstanceOf(AuthDecision.Unauthorized.class,
                access.authorize(null, AuthFixture.CLIENT, List.of(), null));
        assertEquals(AuthFixture.REALM, AkuaChallenge.parse(u.wwwAuthenticate()).get("realm"));
    }

    @Test
    void authorize_realmWithCommaOrRelative_refused() {
        assertThrows(IllegalArgumentException.class,
                () -> access.authorize(null, AuthFixture.CLIENT, List.of(), URI.create("http://h/token?a=1,2")));
        assertThrows(IllegalArgumentException.class,
                () -> access.authorize(null, AuthFixture.CLIENT, List.of(), URI.create("/token")));
    }

    @Test
    void anonymousCaller_authOn_onlyWhatAnonymousMay() {
        Caller anonymous = Caller.anonymous("192.0.2.1");
        assertTrue(anonymous.principal().isAnonymous());
        assertTrue(access.permits(anonymous, RepositoryName.parse("public/x"), Action.PULL));
        assertEquals(false, access.permits(anonymous, RepositoryName.parse("team/app"), Action.PULL));
    }
}
