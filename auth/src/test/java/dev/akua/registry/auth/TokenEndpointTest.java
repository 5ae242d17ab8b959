package dev.akua.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /token}: credentials, granted = requested ∩ permitted, body fields, refusals. */
class TokenEndpointTest {
    @TempDir
    static Path dir;
    static AuthFixture fixture;
    static AccessControl access;

    @BeforeAll
    static void setUp() {
        fixture = new AuthFixture(dir);
        access = fixture.open();
    }

    @AfterAll
    static void tearDown() {
        access.close();
    }

    private static TokenResponse issue(String authorization, String... scopes) {
        return access.issueToken(authorization, AuthFixture.CLIENT, AuthFixture.SERVICE, List.of(scopes)).orThrow();
    }

    private static List<String> granted(TokenResponse r) {
        return r.granted().stream().map(Scope::toString).toList();
    }

    @Test
    void issueToken_basicUser_bodyHasDockerFields() throws Exception {
        TokenResponse r = issue(AuthFixture.basic("alice", AuthFixture.PASSWORD), "repository:team/app:pull,push");
        JsonNode body = new ObjectMapper().readTree(r.toJson());
        assertEquals(r.token(), body.get("token").asText());
        assertEquals(r.token(), body.get("access_token").asText());
        assertEquals(3600, body.get("expires_in").asLong());
        assertEquals(fixture.clock.instant(), Instant.parse(body.get("issued_at").asText()));
        assertEquals(4, body.size());
        assertEquals("user:alice", r.principal().id());
        assertEquals(List.of("repository:team/app:pull,push"), granted(r));
    }

    @Test
    void issueToken_partlyPermitted_grantsIntersection() {
        TokenResponse r = issue(AuthFixture.basic("alice", AuthFixture.PASSWORD),
                "repository:a/b:pull,push", "repository:team/app:pull,admin", "repository:secret/s:push");
        assertEquals(List.of("repository:team/app:pull"), granted(r));
    }

    @Test
    void issueToken_anonymous_tokenForWhatAnonymousMayDo() {
        TokenResponse r = issue(null, "repository:public/x:pull,push repository:team/app:pull");
        assertTrue(r.principal().isAnonymous());
        assertEquals(List.of("repository:public/x:pull"), granted(r));
        TokenResponse none = issue(null, "repository:team/app:push");
        assertEquals(List.of(), granted(none), "Docker answers an unpermitted anonymous request with an empty token");
    }

    @Test
    void issueToken_scopesRepeatedOrSpaceSeparated_sameGrant() {
        TokenResponse repeated = issue(AuthFixture.basic("alice", AuthFixture.PASSWORD), "repository:team/app:pull", "repository:team/app:push");
        TokenResponse spaced = issue(AuthFixture.basic("alice", AuthFixture.PASSWORD), "repository:team/app:pull repository:team/app:push");
        assertEquals(List.of("repository:team/app:pull,push"), granted(repeated));
        assertEquals(granted(repeated), granted(spaced));
    }

    @Test
    void issueToken_robotTokenAsBasicPassword_robotPrincipal() {
        TokenResponse r = issue(AuthFixture.basic("ci", fixture.robotSecret), "repository:team/app:pull,push,delete");
        assertEquals("robot:ci", r.principal().id());
        assertEquals(List.of("repository:team/app:pull,push"), granted(r));
    }

    @Test
    void issueToken_robotOrPersonalTokenAsBearer_accepted() {
        assertEquals("robot:ci", issue("Bearer " + fixture.robotSecret, "repository:team/app:push").principal().id());
        TokenResponse personal = issue("Bearer " + fixture.personalSecret, "repository:team/app:delete");
        assertEquals("user:alice", personal.principal().id());
        assertEquals(List.of("repository:team/app:delete"), granted(personal));
    }

    @Test
    void issueToken_catalogScope_grantedToUsers() {
        assertEquals(List.of("registry:catalog:*"), granted(issue(AuthFixture.basic("dave", AuthFixture.PASSWORD), "registry:catalog:*")));
    }

    @Test
    void issueToken_unknownResourceTypeOrAction_ignored() {
        TokenResponse r = issue(AuthFixture.basic("alice", AuthFixture.PASSWORD),
                "repository(plugin):team/app:pull", "repository:team/app:frobnicate", "registry:other:*");
        assertEquals(List.of(), granted(r));
    }

    @Test
    void issueToken_wrongPasswordOrUnknownUser_sameUnauthorized() {
        for (String auth : List.of(AuthFixture.basic("bob", "wrong"), AuthFixture.basic("nobody", AuthFixture.PASSWORD))) {
            TokenDecision d = access.issueToken(auth, "198.51.100.7", AuthFixture.SERVICE, List.of("repository:a/b:pull"));
            OciException e = assertInstanceOf(TokenDecision.Unauthorized.class, d).toException();
            assertEquals(401, e.status());
            assertEquals(ErrorCode.UNAUTHORIZED, e.code());
            assertEquals("invalid credentials", e.getMessage());
            assertEquals("Basic realm=\"akua-registry\"", e.headers().get("WWW-Authenticate"));
        }
    }

    @Test
    void issueToken_badRobotSecretOrJwtAsBearer_unauthorized() {
        String forged = fixture.robotSecret.substring(0, 21) + "0".repeat(64);
        assertInstanceOf(TokenDecision.Unauthorized.class,
                access.issueToken("Bearer " + forged, "198.51.100.8", AuthFixture.SERVICE, List.of()));
        String jwt = AuthFixture.jwt(access, AuthFixture.basic("alice", AuthFixture.PASSWORD));
        assertInstanceOf(TokenDecision.Unauthorized.class,
                access.issueToken("Bearer " + jwt, "198.51.100.8", AuthFixture.SERVICE, List.of()));
    }

    @Test
    void issueToken_foreignService_badRequest() {
        OciException e = assertInstanceOf(TokenDecision.BadRequest.class,
                access.issueToken(null, AuthFixture.CLIENT, "registry.docker.io", List.of())).toException();
        assertEquals(400, e.status());
        TokenResponse noService = access.issueToken(null, AuthFixture.CLIENT, null, List.of("repository:public/x:pull")).orThrow();
        assertEquals(List.of("repository:public/x:pull"), granted(noService));
    }

    @Test
    void issueToken_malformedScopes_badRequest() {
        for (String bad : List.of("repository", "repository:team/app", "repository:Team/App:pull", "repository::pull")) {
            OciException e = assertInstanceOf(TokenDecision.BadRequest.class,
                    access.issueToken(null, AuthFixture.CLIENT, AuthFixture.SERVICE, List.of(bad)), bad).toException();
            assertEquals(400, e.status(), bad);
        }
        List<String> many = new ArrayList<>(Collections.nCopies(AccessControl.MAX_SCOPES + 1, "repository:public/x:pull"));
        assertInstanceOf(TokenDecision.BadRequest.class, access.issueToken(null, AuthFixture.CLIENT, AuthFixture.SERVICE, many));
    }

    /**
     * What akua 0.8.5 does on a publish with Basic credentials in auth.toml (wire contract §1.5):
     * no Authorization on the first request, parse the first challenge, GET the realm with
     * service and scope passed verbatim and Basic credentials, retry with the token.
     */
    @Test
    void akuaFlow_basicCredentials_challengeTokenRetrySucceeds() {
        Scope upload = Scope.repository(RepositoryName.parse("team/app"), Action.PULL, Action.PUSH);
        AuthDecision first = access.authorize(null, AuthFixture.CLIENT, List.of(upload));
        String header = assertInstanceOf(AuthDecision.Unauthorized.class, first).wwwAuthenticate();
        Map<String, String> challenge = AkuaChallenge.parse(header);
        assertEquals(AuthFixture.REALM, challenge.get("realm"));
        TokenResponse token = access.issueToken(AuthFixture.basic("alice", AuthFixture.PASSWORD), AuthFixture.CLIENT,
                challenge.get("service"), List.of(challenge.get("scope"))).orThrow();
        Caller caller = access.authorize("Bearer " + token.token(), AuthFixture.CLIENT, List.of(upload)).orThrow();
        assertEquals("user:alice", caller.principal().id());
        assertEquals(Caller.Credential.JWT, caller.credential());
    }

    /** akua with {@code token = "<robot secret>"}: sent directly as Bearer, no challenge. */
    @Test
    void akuaFlow_robotTokenDirectBearer_allowedAtOnce() {
        Scope push = Scope.repository(RepositoryName.parse("team/app"), Action.PUSH);
        Caller caller = access.authorize("Bearer " + fixture.robotSecret, AuthFixture.CLIENT, List.of(push)).orThrow();
        assertEquals("robot:ci", caller.principal().id());
        assertEquals(Caller.Credential.API_TOKEN, caller.credential());
        assertTrue(caller.apiTokenId().isPresent());
    }
}
