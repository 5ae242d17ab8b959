package dev.akua.registry.auth;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Action × principal kind × allowed/denied against {@link AuthFixture}'s policy, with the status
 * and error code the registry will answer. JWT principals first get a token for exactly the
 * scope the request needs (what a Docker client does after the challenge), so a 403 here means
 * the token endpoint did not grant it and the rights do not allow it.
 */
class PermissionMatrixTest {
    @TempDir
    static Path dir;
    static AuthFixture fixture;
    static AccessControl access;

    enum Expect { ALLOW, UNAUTHORIZED, DENIED }

    /** Produces the Authorization header a principal kind sends for a request needing {@code scope}. */
    enum Kind {
        ANONYMOUS((a, s) -> null),
        ANONYMOUS_JWT((a, s) -> "Bearer " + AuthFixture.jwt(a, null, s.toString())),
        ALICE_JWT((a, s) -> "Bearer " + AuthFixture.jwt(a, AuthFixture.basic("alice", AuthFixture.PASSWORD), s.toString())),
        BOB_JWT((a, s) -> "Bearer " + AuthFixture.jwt(a, AuthFixture.basic("bob", AuthFixture.PASSWORD), s.toString())),
        DAVE_JWT((a, s) -> "Bearer " + AuthFixture.jwt(a, AuthFixture.basic("dave", AuthFixture.PASSWORD), s.toString())),
        ADMIN_CAROL_JWT((a, s) -> "Bearer " + AuthFixture.jwt(a, AuthFixture.basic("carol", AuthFixture.PASSWORD), s.toString())),
        ROBOT_DIRECT((a, s) -> "Bearer " + fixture.robotSecret),
        ROBOT_JWT((a, s) -> "Bearer " + AuthFixture.jwt(a, AuthFixture.basic("ci", fixture.robotSecret), s.toString())),
        PERSONAL_DIRECT((a, s) -> "Bearer " + fixture.personalSecret),
        PERSONAL_LIMITED_DIRECT((a, s) -> "Bearer " + fixture.personalLimitedSecret);

        final BiFunction<AccessControl, Scope, String> header;

        Kind(BiFunction<AccessControl, Scope, String> header) {
            this.header = header;
        }
    }

    @BeforeAll
    static void setUp() {
        fixture = new AuthFixture(dir);
        access = fixture.open();
    }

    @AfterAll
    static void tearDown() {
        access.close();
    }

    static Stream<Arguments> matrix() {
        return Stream.of(
                // anonymous: only public/** pull
                row(Kind.ANONYMOUS, "public/x", Action.PULL, Expect.ALLOW),
                row(Kind.ANONYMOUS, "public/x", Action.PUSH, Expect.UNAUTHORIZED),
                row(Kind.ANONYMOUS, "team/app", Action.PULL, Expect.UNAUTHORIZED),
                row(Kind.ANONYMOUS, "other/x", Action.PULL, Expect.UNAUTHORIZED),
                row(Kind.ANONYMOUS, "other/x", Action.DELETE, Expect.UNAUTHORIZED),
                row(Kind.ANONYMOUS_JWT, "public/x", Action.PULL, Expect.ALLOW),
                row(Kind.ANONYMOUS_JWT, "public/x", Action.PUSH, Expect.UNAUTHORIZED),
                row(Kind.ANONYMOUS_JWT, "team/app", Action.PULL, Expect.UNAUTHORIZED),
                // a user with direct grants, group grants and the authenticated floor
                row(Kind.ALICE_JWT, "team/app", Action.PULL, Expect.ALLOW),
                row(Kind.ALICE_JWT, "team/app", Action.PUSH, Expect.ALLOW),
                row(Kind.ALICE_JWT, "team/app", Action.DELETE, Expect.ALLOW),
                row(Kind.ALICE_JWT, "team/app", Action.SIGN, Expect.ALLOW),
                row(Kind.ALICE_JWT, "team/app", Action.ADMIN, Expect.DENIED),
                row(Kind.ALICE_JWT, "team/deep/nested/app", Action.PUSH, Expect.ALLOW),
                row(Kind.ALICE_JWT, "secret/s", Action.PULL, Expect.ALLOW),
                row(Kind.ALICE_JWT, "secret/s", Action.PUSH, Expect.DENIED),
                row(Kind.ALICE_JWT, "public/x", Action.PUSH, Expect.ALLOW),
                row(Kind.ALICE_JWT, "other/x", Action.PULL, Expect.ALLOW),
                row(Kind.ALICE_JWT, "other/x", Action.PUSH, Expect.DENIED),
                // prefix leakage: a/b is bob's, a/bc and a/b/c are not covered by that rule
                row(Kind.ALICE_JWT, "a/b", Action.PULL, Expect.DENIED),
                row(Kind.BOB_JWT, "a/b", Action.PULL, Expect.ALLOW),
                row(Kind.BOB_JWT, "a/b", Action.PUSH, Expect.ALLOW),
                row(Kind.BOB_JWT, "a/b", Action.DELETE, Expect.DENIED),
                row(Kind.BOB_JWT, "a/bc", Action.PUSH, Expect.DENIED),
                row(Kind.BOB_JWT, "a/b/c", Action.PUSH, Expect.DENIED),
                row(Kind.BOB_JWT, "a/bc", Action.PULL, Expect.ALLOW),
                row(Kind.BOB_JWT, "a", Action.PUSH, Expect.DENIED),
                // the most specific rule decides alone: team/** hides the ** authenticated pull from bob
                row(Kind.BOB_JWT, "team/app", Action.PULL, Expect.DENIED),
                row(Kind.BOB_JWT, "secret/s", Action.PULL, Expect.DENIED),
                row(Kind.BOB_JWT, "team/app", Action.SIGN, Expect.DENIED),
                row(Kind.DAVE_JWT, "other/x", Action.PULL, Expect.ALLOW),
                row(Kind.DAVE_JWT, "other/x", Action.PUSH, Expect.DENIED),
                row(Kind.DAVE_JWT, "team/app", Action.PULL, Expect.DENIED),
                // global admin
                row(Kind.ADMIN_CAROL_JWT, "a/b", Action.DELETE, Expect.ALLOW),
                row(Kind.ADMIN_CAROL_JWT, "secret/s", Action.ADMIN, Expect.ALLOW),
                row(Kind.ADMIN_CAROL_JWT, "team/app", Action.SIGN, Expect.ALLOW),
                // robot: own scope team/**:push + policy robot:ci pull on team/** + authenticated pull on **
                row(Kind.ROBOT_DIRECT, "team/app", Action.PULL, Expect.ALLOW),
                row(Kind.ROBOT_DIRECT, "team/app", Action.PUSH, Expect.ALLOW),
                row(Kind.ROBOT_DIRECT, "team/app", Action.DELETE, Expect.DENIED),
                row(Kind.ROBOT_DIRECT, "team/app", Action.SIGN, Expect.DENIED),
                row(Kind.ROBOT_DIRECT, "other/x", Action.PULL, Expect.ALLOW),
                row(Kind.ROBOT_DIRECT, "other/x", Action.PUSH, Expect.DENIED),
                row(Kind.ROBOT_DIRECT, "a/b", Action.PULL, Expect.DENIED),
                row(Kind.ROBOT_JWT, "team/app", Action.PUSH, Expect.ALLOW),
                row(Kind.ROBOT_JWT, "team/app", Action.DELETE, Expect.DENIED),
                // personal tokens act as alice, the limited one only within its scopes
                row(Kind.PERSONAL_DIRECT, "team/app", Action.PUSH, Expect.ALLOW),
                row(Kind.PERSONAL_DIRECT, "a/b", Action.PULL, Expect.DENIED),
                row(Kind.PERSONAL_LIMITED_DIRECT, "team/app", Action.PULL, Expect.ALLOW),
                row(Kind.PERSONAL_LIMITED_DIRECT, "team/app", Action.PUSH, Expect.DENIED),
                row(Kind.PERSONAL_LIMITED_DIRECT, "public/x", Action.PULL, Expect.DENIED));
    }

    private static Arguments row(Kind kind, String repository, Action action, Expect expect) {
        return Arguments.of(kind, repository, action, expect);
    }

    @ParameterizedTest(name = "{0} {2} {1} -> {3}")
    @MethodSource("matrix")
    void authorize_matrix_expectedStatusAndCode(Kind kind, String repository, Action action, Expect expect) {
        Scope scope = Scope.repository(RepositoryName.parse(repository), action);
        AuthDecision decision = access.authorize(kind.header.apply(access, scope), AuthFixture.CLIENT, List.of(scope));
        switch (expect) {
            case ALLOW -> assertInstanceOf(AuthDecision.Allowed.class, decision, () -> describe(decision));
            case UNAUTHORIZED -> {
                OciException e = refusal(decision);
                assertEquals(401, e.status());
                assertEquals(ErrorCode.UNAUTHORIZED, e.code());
                var challenge = AkuaChallenge.parse(e.headers().get("WWW-Authenticate"));
                assertEquals(AuthFixture.REALM, challenge.get("realm"));
                assertEquals("repository:" + repository + ":" + action.wireName(), challenge.get("scope"));
            }
            case DENIED -> {
                OciException e = refusal(decision);
                assertEquals(403, e.status());
                assertEquals(ErrorCode.DENIED, e.code());
                assertTrue(e.getMessage().contains(action.wireName() + " on " + repository), e.getMessage());
            }
        }
    }

    @Test
    void authorize_catalogScope_anonymousAndUsersMayList() {
        assertInstanceOf(AuthDecision.Allowed.class, access.authorize(null, AuthFixture.CLIENT, List.of(Scope.catalog())));
        String dave = "Bearer " + AuthFixture.jwt(access, AuthFixture.basic("dave", AuthFixture.PASSWORD), "registry:catalog:*");
        assertInstanceOf(AuthDecision.Allowed.class, access.authorize(dave, AuthFixture.CLIENT, List.of(Scope.catalog())));
    }

    @Test
    void catalogFilter_bob_listsOnlyWhatHeMayPull() {
        String bob = "Bearer " + AuthFixture.jwt(access, AuthFixture.basic("bob", AuthFixture.PASSWORD), "registry:catalog:*");
        Caller caller = access.authorize(bob, AuthFixture.CLIENT, List.of(Scope.catalog())).orThrow();
        List<String> visible = Stream.of("a/b", "a/bc", "team/app", "secret/s", "public/x", "other/x")
                .filter(r -> access.catalogFilter(caller).test(RepositoryName.parse(r))).toList();
        assertEquals(List.of("a/b", "a/bc", "public/x", "other/x"), visible);
    }

    @Test
    void catalogFilter_anonymous_listsOnlyPublic() {
        Caller anonymous = access.authorize(null, AuthFixture.CLIENT, List.of(Scope.catalog())).orThrow();
        List<String> visible = Stream.of("a/b", "team/app", "public/x", "public/y/z", "other/x")
                .filter(r -> access.catalogFilter(anonymous).test(RepositoryName.parse(r))).toList();
        assertEquals(List.of("public/x", "public/y/z"), visible);
    }

    @Test
    void authorize_tokenLacksScopeButUserHasRight_insufficientScopeChallenge() {
        String pullOnly = "Bearer " + AuthFixture.jwt(access, AuthFixture.basic("alice", AuthFixture.PASSWORD), "repository:team/app:pull");
        Scope push = Scope.repository(RepositoryName.parse("team/app"), Action.PULL, Action.PUSH);
        OciException e = refusal(access.authorize(pullOnly, AuthFixture.CLIENT, List.of(push)));
        assertEquals(401, e.status());
        var challenge = AkuaChallenge.parse(e.headers().get("WWW-Authenticate"));
        assertEquals("insufficient_scope", challenge.get("error"));
        assertEquals("repository:team/app:pull repository:team/app:push", challenge.get("scope"));
    }

    @Test
    void authorize_baseCheckWithoutCredentials_challengeWithoutScope() {
        OciException e = refusal(access.authorize(null, AuthFixture.CLIENT, List.of()));
        assertEquals(401, e.status());
        var challenge = AkuaChallenge.parse(e.headers().get("WWW-Authenticate"));
        assertEquals(AuthFixture.SERVICE, challenge.get("service"));
        assertFalse(challenge.containsKey("scope"));
        String token = "Bearer " + AuthFixture.jwt(access, AuthFixture.basic("dave", AuthFixture.PASSWORD));
        assertInstanceOf(AuthDecision.Allowed.class, access.authorize(token, AuthFixture.CLIENT, List.of()));
    }

    @Test
    void authorize_basicOnRegistryRequest_treatedAsAnonymousAndChallengedWithBearer() {
        Scope push = Scope.repository(RepositoryName.parse("team/app"), Action.PUSH);
        OciException e = refusal(access.authorize(AuthFixture.basic("alice", AuthFixture.PASSWORD), AuthFixture.CLIENT, List.of(push)));
        assertEquals(401, e.status());
        assertTrue(e.headers().get("WWW-Authenticate").startsWith("Bearer "));
        Scope publicPull = Scope.repository(RepositoryName.parse("public/x"), Action.PULL);
        Caller c = access.authorize(AuthFixture.basic("alice", "wrong"), AuthFixture.CLIENT, List.of(publicPull)).orThrow();
        assertTrue(c.principal().isAnonymous());
    }

    // ------------------------------------------------------------ per-object checks

    private static Caller caller(String user, String... scopes) {
        String header = "Bearer " + AuthFixture.jwt(access, AuthFixture.basic(user, AuthFixture.PASSWORD), scopes);
        return access.authorize(header, AuthFixture.CLIENT, List.of()).orThrow();
    }

    @Test
    void mayMountFrom_sourceCallerCannotPull_false() {
        Caller bob = caller("bob", "repository:a/b:push", "repository:team/app:pull");
        assertFalse(access.mayMountFrom(bob, RepositoryName.parse("team/app")));
        Caller robot = access.authorize("Bearer " + fixture.robotSecret, AuthFixture.CLIENT, List.of()).orThrow();
        assertFalse(access.mayMountFrom(robot, RepositoryName.parse("a/b")));
    }

    @Test
    void mayMountFrom_sourcePullInToken_true() {
        Caller alice = caller("alice", "repository:team/app:push", "repository:secret/s:pull");
        assertTrue(access.mayMountFrom(alice, RepositoryName.parse("secret/s")));
    }

    @Test
    void mayMountFrom_rightsAllowButTokenLacksSourceScope_false() {
        Caller alice = caller("alice", "repository:team/app:push");
        assertFalse(access.mayMountFrom(alice, RepositoryName.parse("secret/s")));
    }

    private static final Digest D1 = Digest.sha256("one".getBytes(StandardCharsets.UTF_8));
    private static final Digest D2 = Digest.sha256("two".getBytes(StandardCharsets.UTF_8));

    @Test
    void checkTagWrite_movingImmutableTag_deniedNamingTheRule() {
        Caller alice = caller("alice", "repository:team/app:pull,push");
        OciException e = assertThrows(OciException.class, () ->
                access.checkTagWrite(alice, RepositoryName.parse("team/app"), Tag.parse("v1.2.3-rc.1"), Optional.of(D1), D2));
        assertEquals(403, e.status());
        assertEquals(ErrorCode.DENIED, e.code());
        assertTrue(e.getMessage().contains("immutable") && e.getMessage().contains("repositories '**', tags semver"), e.getMessage());
    }

    @Test
    void checkTagWrite_sameDigestNewTagOrMutableTag_allowed() {
        Caller alice = caller("alice", "repository:team/app:pull,push", "repository:scratch/x:push");
        RepositoryName app = RepositoryName.parse("team/app");
        access.checkTagWrite(alice, app, Tag.parse("1.2.3"), Optional.of(D1), D1);
        access.checkTagWrite(alice, app, Tag.parse("1.2.4"), Optional.empty(), D2);
        access.checkTagWrite(alice, app, Tag.parse("latest"), Optional.of(D1), D2);
        access.checkTagWrite(alice, app, Tag.parse("1.2"), Optional.of(D1), D2);
    }

    @Test
    void checkTagWrite_cosignSidecarTags_stayUpdatable() {
        Caller alice = caller("alice", "repository:team/app:push");
        RepositoryName app = RepositoryName.parse("team/app");
        for (String suffix : List.of(".sig", ".att", ".sbom")) {
            access.checkTagWrite(alice, app, Tag.parse(D1.tagForm() + suffix), Optional.of(D1), D2);
        }
    }

    @Test
    void checkTagWrite_sigTagWithoutPush_denied() {
        Caller dave = caller("dave", "repository:other/x:pull");
        OciException e = assertThrows(OciException.class, () ->
                access.checkTagWrite(dave, RepositoryName.parse("other/x"), Tag.parse(D1.tagForm() + ".sig"), Optional.of(D1), D2));
        assertEquals(ErrorCode.DENIED, e.code());
    }

    @Test
    void checkTagWrite_repositoryExemptedByMoreSpecificRule_allowed() {
        Caller carol = caller("carol", "repository:scratch/x:push");
        access.checkTagWrite(carol, RepositoryName.parse("scratch/x"), Tag.parse("1.0.0"), Optional.of(D1), D2);
    }

    @Test
    void checkTagDelete_immutableTag_deniedEvenForAdmin() {
        Caller carol = caller("carol", "repository:team/app:delete");
        OciException e = assertThrows(OciException.class, () ->
                access.checkTagDelete(carol, RepositoryName.parse("team/app"), Tag.parse("1.2.3")));
        assertEquals(ErrorCode.DENIED, e.code());
        assertTrue(e.getMessage().contains("cannot be deleted"));
        access.checkTagDelete(carol, RepositoryName.parse("team/app"), Tag.parse("latest"));
    }

    @Test
    void checkTagDelete_withoutDeleteRight_denied() {
        Caller bob = caller("bob", "repository:a/b:push");
        OciException e = assertThrows(OciException.class, () ->
                access.checkTagDelete(bob, RepositoryName.parse("a/b"), Tag.parse("latest")));
        assertEquals(ErrorCode.DENIED, e.code());
    }

    @Test
    void checkManifestDelete_carriesImmutableTag_denied() {
        Caller alice = caller("alice", "repository:team/app:delete");
        RepositoryName app = RepositoryName.parse("team/app");
        OciException e = assertThrows(OciException.class, () ->
                access.checkManifestDelete(alice, app, D1, List.of(Tag.parse("latest"), Tag.parse("2.0.0"))));
        assertTrue(e.getMessage().contains("2.0.0"));
        access.checkManifestDelete(alice, app, D1, List.of(Tag.parse("latest")));
    }

    @Test
    void permits_signAndAdmin_followGroupsAndAdmins() {
        RepositoryName app = RepositoryName.parse("team/app");
        assertTrue(access.permits(caller("alice", "repository:team/app:sign"), app, Action.SIGN));
        assertFalse(access.permits(caller("bob", "repository:team/app:sign"), app, Action.SIGN));
        assertTrue(access.permits(caller("carol", "repository:team/app:admin"), app, Action.ADMIN));
        assertFalse(access.permits(caller("alice", "repository:team/app:admin"), app, Action.ADMIN));
    }

    @Test
    void authorize_authOff_everyoneMayDoEverything() {
        try (AccessControl open = AccessControl.create(fixture.config().enabled(false).build(), fixture.clock)) {
            Scope delete = Scope.repository(RepositoryName.parse("secret/s"), Action.DELETE);
            Caller anonymous = open.authorize(null, AuthFixture.CLIENT, List.of(delete)).orThrow();
            assertTrue(anonymous.principal().isAnonymous());
            assertInstanceOf(AuthDecision.Allowed.class, open.authorize("Bearer garbage", AuthFixture.CLIENT, List.of(delete)));
            Caller robot = open.authorize("Bearer " + fixture.robotSecret, AuthFixture.CLIENT, List.of(delete)).orThrow();
            assertEquals("robot:ci", robot.principal().id());
            assertTrue(open.mayMountFrom(anonymous, RepositoryName.parse("a/b")));
            OciException e = assertThrows(OciException.class, () -> open.checkTagWrite(anonymous, RepositoryName.parse("x"),
                    Tag.parse("1.0.0"), Optional.of(D1), D2));
            assertEquals(ErrorCode.DENIED, e.code(), "immutable tags hold with auth off too");
        }
    }

    private static OciException refusal(AuthDecision decision) {
        AuthDecision.Refusal r = assertInstanceOf(AuthDecision.Refusal.class, decision, "expected a refusal");
        return r.toException();
    }

    private static String describe(AuthDecision d) {
        return d instanceof AuthDecision.Refusal r ? r.toException().status() + " " + r.toException().getMessage() : d.toString();
    }
}
