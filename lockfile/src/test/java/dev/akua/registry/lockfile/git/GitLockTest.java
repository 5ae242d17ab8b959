package dev.akua.registry.lockfile.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.akua.registry.lockfile.Drift;
import dev.akua.registry.lockfile.LockMode;
import dev.akua.registry.lockfile.LockOutcome;
import dev.akua.registry.lockfile.LockRequest;
import dev.akua.registry.lockfile.LockService;
import dev.akua.registry.lockfile.error.LockException;
import dev.akua.registry.lockfile.helm.HelmRepoResolver;
import dev.akua.registry.lockfile.signature.SignatureVerifier;
import dev.akua.registry.remote.AddressPolicy;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteConfig;

/** Git dependencies against a real smart-HTTP git server (nginx + git-http-backend) and file:// repositories. */
class GitLockTest {
    @TempDir
    static Path dir;
    private static GitHttpServer server;
    private static Path work;
    private static String first;
    private static String second;
    private static String third;

    @BeforeAll
    static void start() throws Exception {
        server = new GitHttpServer(dir.resolve("server"));
        Path bare = server.root().resolve("lib.git");
        GitHttpServer.run(server.root(), "git", "init", "--bare", "-q", bare.toString());
        work = Files.createDirectories(dir.resolve("work"));
        git("init", "-q", "-b", "main");
        git("config", "user.email", "test@example.test");
        git("config", "user.name", "test");
        first = commit("one");
        git("tag", "-a", "v1.0.0", "-m", "release 1.0.0");       // annotated
        second = commit("two");
        git("tag", "v1.1.0");                                     // lightweight
        third = commit("three");
        git("remote", "add", "origin", bare.toString());
        git("push", "-q", "origin", "main", "--tags");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String git(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return GitHttpServer.run(work, cmd);
    }

    private static String commit(String content) throws Exception {
        Files.writeString(work.resolve("main.k"), content);
        git("add", "main.k");
        git("commit", "-q", "-m", content);
        return git("rev-parse", "HEAD");
    }

    private static LockService service(AddressPolicy policy) {
        RemoteConfig config = RemoteConfig.defaults().withAddressPolicy(policy).withTotalTimeout(Duration.ofSeconds(20));
        return LockService.create(RemoteClient.create(config), SignatureVerifier.trustingNothing(), HelmRepoResolver.Limits.defaults());
    }

    private static LockService service() {
        return service(AddressPolicy.publicOnly().withLoopbackAllowed());
    }

    private static String manifest(String dep) {
        return "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"akua.dev/v1alpha1\"\n\n[dependencies]\n" + dep + "\n";
    }

    @Test
    void lock_annotatedTag_peeledToCommit() throws Exception {
        String url = server.url("lib");

        LockOutcome outcome = service().resolve(LockRequest.of(manifest("lib = { git = \"" + url + "\", tag = \"v1.0.0\" }"), null, LockMode.LOCK));

        assertTrue(outcome.lockText().endsWith("""
                [[package]]
                name = "lib"
                version = "v1.0.0"
                source = "git+%s@v1.0.0"
                digest = "git:%s"
                """.formatted(url, first)), outcome.lockText());
        String tagObject = git("rev-parse", "v1.0.0");
        assertTrue(!tagObject.equals(first), "the annotated tag object differs from its commit");
    }

    @Test
    void lock_lightweightTag_commit() throws Exception {
        LockOutcome outcome = service().resolve(LockRequest.of(
                manifest("lib = { git = \"" + server.url("lib") + "\", tag = \"v1.1.0\" }"), null, LockMode.LOCK));

        assertEquals("git:" + second, outcome.dependencies().getFirst().digest());
    }

    @Test
    void lock_fullRevNotAtAnyRefTip_verifiedByFetch() throws Exception {
        String rev = first;

        LockOutcome outcome = service().resolve(LockRequest.of(
                manifest("lib = { git = \"" + server.url("lib") + "\", rev = \"" + rev + "\" }"), null, LockMode.LOCK));

        assertEquals("git:" + rev, outcome.dependencies().getFirst().digest());
        assertEquals(rev, outcome.dependencies().getFirst().version());
        assertEquals("git+" + server.url("lib") + "@" + rev, outcome.dependencies().getFirst().source());
    }

    @Test
    void lock_unknownRevOrTag_notFound() {
        LockException rev = assertThrows(LockException.class, () -> service().resolve(LockRequest.of(
                manifest("lib = { git = \"" + server.url("lib") + "\", rev = \"" + "0".repeat(40) + "\" }"), null, LockMode.LOCK)));
        assertEquals(LockException.Reason.NOT_FOUND, rev.reason());
        LockException tag = assertThrows(LockException.class, () -> service().resolve(LockRequest.of(
                manifest("lib = { git = \"" + server.url("lib") + "\", tag = \"v9\" }"), null, LockMode.LOCK)));
        assertEquals(LockException.Reason.NOT_FOUND, tag.reason());
    }

    @Test
    void check_movedTag_reportedAsDrift() throws Exception {
        Path bare = server.root().resolve("moving.git");
        GitHttpServer.run(server.root(), "git", "init", "--bare", "-q", bare.toString());
        git("push", "-q", bare.toString(), "main");
        git("tag", "-f", "moving", first);
        git("push", "-q", "-f", bare.toString(), "refs/tags/moving");
        String m = manifest("mv = { git = \"" + server.url("moving") + "\", tag = \"moving\" }");
        String locked = service().resolve(LockRequest.of(m, null, LockMode.LOCK)).lockText();

        git("tag", "-f", "moving", third);
        git("push", "-q", "-f", bare.toString(), "refs/tags/moving");
        LockOutcome check = service().resolve(LockRequest.of(m, locked, LockMode.CHECK));

        assertEquals(1, check.exitCode());
        assertEquals(List.of(new Drift("mv", Drift.Kind.DIGEST_CHANGED, "git:" + first, "git:" + third)), check.drifts());
        LockException lock = assertThrows(LockException.class, () -> service().resolve(LockRequest.of(m, locked, LockMode.LOCK)));
        assertEquals(LockException.Reason.DRIFT, lock.reason());
    }

    @Test
    void lock_fileUrl_onlyInLocalWorkspace() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("ws-file"));
        String url = "file://" + server.root().resolve("lib.git");
        Files.writeString(workspace.resolve("akua.toml"), manifest("lib = { git = \"" + url + "\", tag = \"v1.1.0\" }"));

        LockOutcome local = service().lockWorkspace(workspace, LockMode.LOCK);

        assertEquals("git:" + second, local.dependencies().getFirst().digest());
        assertTrue(local.written());
        assertEquals(local.lockText(), Files.readString(workspace.resolve("akua.lock")));
        LockException api = assertThrows(LockException.class, () -> service().resolve(LockRequest.of(
                manifest("lib = { git = \"" + url + "\", tag = \"v1.1.0\" }"), null, LockMode.LOCK)));
        assertEquals(LockException.Reason.UNSUPPORTED_SOURCE, api.reason());
    }

    @Test
    void lock_gitServerOnLoopbackWithoutPermission_refused() {
        LockException e = assertThrows(LockException.class, () -> service(AddressPolicy.publicOnly()).resolve(LockRequest.of(
                manifest("lib = { git = \"" + server.url("lib") + "\", tag = \"v1.1.0\" }"), null, LockMode.LOCK)));

        assertEquals(LockException.Reason.REMOTE_FAILED, e.reason());
        assertTrue(e.getMessage().contains("refusing to connect to 127.0.0.1"), e.getMessage());
    }
}
