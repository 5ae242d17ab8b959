package dev.akua.registry.conformance;

import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.cli.CliCommands;
import dev.akua.registry.config.ConfigLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code akua-registry lock [--check|--update] [--workspace DIR] [--registry URL]} run as its own
 * process (the runnable jar's main class), on workspace directories, locally and through this
 * registry's API, with OCI dependencies served by the registry under test.
 */
class LockCliTest {
    @TempDir
    static Path root;
    static TestRegistry registry;
    static LockFixtures fixtures;
    static KeyPair key;

    @BeforeAll
    static void start() throws Exception {
        registry = TestRegistry.start(Files.createDirectories(root.resolve("data")),
                Map.of("AKUA_REGISTRY_LOCK_REMOTE_ALLOWLOOPBACK", "true"));
        fixtures = new LockFixtures(registry, Files.createDirectories(root.resolve("work")));
        key = LockFixtures.p256();
        fixtures.pushHelmChart("cli", "webapp");
        fixtures.sign("cli/webapp", "0.1.0", key);
        fixtures.pushHelmChart("cli", "unsigned");
        fixtures.pushKcl("cli/kcl", "0.3.0", LockFixtures.kclTar("kcl", "0.3.0", "kcl"));
        fixtures.sign("cli/kcl", "0.3.0", key);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * The {@code lock} command in this JVM, as {@code Main} runs it: found in {@code CliCommands},
     * given the configuration loaded from {@code env} alone. ({@code cwd} is ignored: tests in this
     * JVM always pass {@code --workspace}; {@link #process} covers the real entry point and cwd.)
     */
    static Run cli(Path cwd, Map<String, String> env, String... args) {
        CliCommand lock = CliCommands.all().stream().filter(c -> c.name().equals("lock")).findFirst()
                .orElseThrow(() -> new AssertionError("no lock command in CliCommands"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = lock.run(new ArrayList<>(List.of(args)), new ConfigLoader().load(null, env),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code java … dev.akua.registry.server.Main lock <args>} in {@code cwd}, with only {@code env} as AKUA_REGISTRY_* settings. */
    static Run process(Path cwd, Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.akua.registry.server.Main", "lock"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AKUA_REGISTRY_"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(root, "cli", ".out");
        Path err = Files.createTempFile(root, "cli", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("akua-registry lock " + String.join(" ", args) + " timed out");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static final Map<String, String> LOOPBACK = Map.of("AKUA_REGISTRY_LOCK_REMOTE_ALLOWLOOPBACK", "true");

    static Path workspace(String name, boolean strict, String dependencies) throws IOException {
        Path ws = Files.createDirectories(root.resolve(name));
        Files.writeString(ws.resolve("akua.toml"), LockFixtures.manifest(strict, dependencies));
        Files.writeString(ws.resolve("cosign.pub"), LockFixtures.publicKeyPem(key));
        return ws;
    }

    static String deps() {
        return "webapp = { oci = \"" + fixtures.ref("cli/webapp") + "\", version = \"0.1.0\" }\n"
                + "kcl = { oci = \"" + fixtures.ref("cli/kcl") + "\", version = \"~0.3\" }";
    }

    static String lockOf(Path ws) throws IOException {
        return Files.readString(ws.resolve("akua.lock"), StandardCharsets.UTF_8);
    }

    @Test
    void lock_localAndThroughTheRegistry_writeTheSameLockAndCheckPasses() throws Exception {
        Path local = workspace("same-local", true, deps());
        Run lock = process(root, LOOPBACK, "--workspace", local.toString());
        assertEquals(0, lock.exit(), lock::toString);
        assertTrue(lock.out().startsWith("wrote akua.lock (2 packages)"), lock::toString);
        String written = lockOf(local);
        assertTrue(written.contains("digest = \"" + fixtures.pinnedLayer("cli/webapp", "0.1.0") + "\""), written);
        assertTrue(written.contains("digest = \"" + fixtures.pinnedLayer("cli/kcl", "0.3.0") + "\""), written);
        assertTrue(written.contains("signature = \"" + LockFixtures.lockValue(key) + "\""), written);

        Run check = process(local, LOOPBACK, "--check");     // the workspace defaults to the current directory
        assertEquals(0, check.exit(), check::toString);
        assertTrue(check.out().startsWith("akua.lock is up to date (2 packages)"), check::toString);

        // the same workspace through the registry's API: no local network settings needed, same bytes
        Path remote = workspace("same-remote", true, deps());
        Run viaApi = process(root, Map.of(), "--workspace=" + remote, "--registry", registry.base());
        assertEquals(0, viaApi.exit(), viaApi::toString);
        assertTrue(viaApi.out().contains("wrote " + remote.toAbsolutePath().normalize().resolve("akua.lock")), viaApi::toString);
        assertEquals(written, lockOf(remote));

        Run checkViaApi = cli(root, Map.of(), "--check", "--workspace", remote.toString(), "--registry", registry.base() + "/");
        assertEquals(0, checkViaApi.exit(), checkViaApi::toString);
        assertTrue(checkViaApi.out().startsWith("akua.lock is up to date"), checkViaApi::toString);
    }

    @Test
    void checkLockUpdate_movedTag_locallyAndThroughTheRegistry() throws Exception {
        byte[] first = LockFixtures.kclTar("mv", "1.0.0", "first");
        fixtures.pushKcl("cli/mv", "1.0.0", first);
        fixtures.sign("cli/mv", "1.0.0", key);
        String dep = "mv = { oci = \"" + fixtures.ref("cli/mv") + "\", version = \"1.0.0\" }";
        Path local = workspace("mv-local", true, dep);
        Path remote = workspace("mv-remote", true, dep);
        assertEquals(0, cli(root, LOOPBACK, "--workspace", local.toString()).exit());
        assertEquals(0, cli(root, Map.of(), "--workspace", remote.toString(), "--registry", registry.base()).exit());
        String before = lockOf(local);
        assertEquals(before, lockOf(remote));

        byte[] second = LockFixtures.kclTar("mv", "1.0.0", "second");
        fixtures.pushKcl("cli/mv", "1.0.0", second);
        fixtures.sign("cli/mv", "1.0.0", key);

        for (boolean viaApi : new boolean[] {false, true}) {
            Path ws = viaApi ? remote : local;
            Map<String, String> env = viaApi ? Map.of() : LOOPBACK;
            List<String> where = viaApi ? List.of("--workspace", ws.toString(), "--registry", registry.base())
                    : List.of("--workspace", ws.toString());

            // exit code 1 on drift, through the real entry point once
            Run check = viaApi ? cli(root, env, args(where, "--check")) : process(root, env, args(where, "--check"));
            assertEquals(1, check.exit(), check::toString);
            assertTrue(check.out().startsWith("akua.lock is out of date: 1 difference"), check::toString);
            assertTrue(check.out().contains("~ mv: content changed under a pinned version: " + LockFixtures.sha256(first)
                    + " -> " + LockFixtures.sha256(second)), check::toString);
            assertEquals(before, lockOf(ws), "check writes nothing");

            Run lock = cli(root, env, args(where));
            assertEquals(1, lock.exit(), lock::toString);
            assertTrue(lock.err().contains("dependency `mv`") && lock.err().contains("lock --update"), lock::toString);
            assertEquals(before, lockOf(ws), "lock never updates silently");

            Run update = cli(root, env, args(where, "--update"));
            assertEquals(0, update.exit(), update::toString);
            assertEquals(before.replace(LockFixtures.sha256(first), LockFixtures.sha256(second)), lockOf(ws));

            Run recheck = cli(root, env, args(where, "--check"));
            assertEquals(0, recheck.exit(), recheck::toString);
        }
    }

    private static String[] args(List<String> where, String... more) {
        List<String> all = new ArrayList<>(where);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void lock_unsignedUnderStrictSigning_exit1NamingTheDependencyAndNoLockWritten() throws Exception {
        String dep = "unsigned = { oci = \"" + fixtures.ref("cli/unsigned") + "\", version = \"0.1.0\" }";
        Path ws = workspace("unsigned", true, dep);
        Run local = cli(root, LOOPBACK, "--workspace", ws.toString());
        assertEquals(1, local.exit(), local::toString);
        assertTrue(local.err().contains("dependency `unsigned`") && local.err().contains("strict_signing"), local::toString);
        Run viaApi = cli(root, Map.of(), "--workspace", ws.toString(), "--registry", registry.base());
        assertEquals(1, viaApi.exit(), viaApi::toString);
        assertTrue(viaApi.err().contains("dependency `unsigned`") && viaApi.err().contains("[SIGNATURE_REQUIRED]"), viaApi::toString);
        assertFalse(Files.exists(ws.resolve("akua.lock")));
    }

    @Test
    void lock_defaultAddressPolicy_refusesALoopbackRegistryLocally_exit2() throws Exception {
        Path ws = workspace("public-only", true, deps());
        Run run = cli(root, Map.of(), "--workspace", ws.toString());
        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("refused"), run::toString);
        assertFalse(Files.exists(ws.resolve("akua.lock")));
    }

    @Test
    void lock_badUsage_exit2WithUsage() throws Exception {
        Run both = process(root, Map.of(), "--check", "--update");
        assertEquals(2, both.exit(), both::toString);
        assertTrue(both.err().contains("usage: akua-registry lock"), both::toString);
        Run unknown = cli(root, Map.of(), "--frobnicate");
        assertEquals(2, unknown.exit(), unknown::toString);
        Run badUrl = cli(root, Map.of(), "--registry", "ftp://x");
        assertEquals(2, badUrl.exit(), badUrl::toString);
        Run noManifest = cli(root, LOOPBACK, "--workspace", Files.createDirectories(root.resolve("empty")).toString());
        assertEquals(1, noManifest.exit(), noManifest::toString);
        assertTrue(noManifest.err().contains("akua.toml not found"), noManifest::toString);
        Run unreachable = cli(root, Map.of(), "--workspace", workspace("unreachable", true, deps()).toString(),
                "--registry", "http://127.0.0.1:" + RegistryProcess.freePort());
        assertEquals(2, unreachable.exit(), unreachable::toString);
        assertTrue(unreachable.err().contains("/api/v1/lock failed"), unreachable::toString);
    }
}
