package dev.akua.registry.lockfile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

import dev.akua.registry.lockfile.error.LockException;
import dev.akua.registry.lockfile.git.GitResolver;
import dev.akua.registry.lockfile.helm.HelmRepoResolver;
import dev.akua.registry.lockfile.lock.LockFile;
import dev.akua.registry.lockfile.lock.LockFileParser;
import dev.akua.registry.lockfile.lock.LockFileWriter;
import dev.akua.registry.lockfile.lock.LockedPackage;
import dev.akua.registry.lockfile.lock.TomlTrees;
import dev.akua.registry.lockfile.lock.Utf8Order;
import dev.akua.registry.lockfile.manifest.AkuaManifest;
import dev.akua.registry.lockfile.manifest.Dependency;
import dev.akua.registry.lockfile.manifest.ManifestParser;
import dev.akua.registry.lockfile.oci.OciResolver;
import dev.akua.registry.lockfile.path.PathResolver;
import dev.akua.registry.lockfile.resolve.Requirement;
import dev.akua.registry.lockfile.resolve.ResolveContext;
import dev.akua.registry.lockfile.resolve.Resolved;
import dev.akua.registry.lockfile.resolve.VersionConstraint;
import dev.akua.registry.lockfile.signature.SignatureVerifier;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.oci.RegistryLogin;

/**
 * The lock facade: akua.toml → digest-pinned akua.lock, for the registry's HTTP API
 * ({@link #resolve(LockRequest)}: text in, text out) and its CLI ({@link #lockWorkspace(Path, LockMode)}:
 * a workspace directory). Resolution per dependency kind, then a walk of the chart dependency graph
 * (Chart.yaml {@code dependencies}), one version per name across the graph unless a {@code replace}
 * settles it, then akua's canonical text and a per-entry comparison with the existing lock.
 * Thread-safe; one instance per configuration, built by the composition root.
 */
public final class LockService {
    /** Most packages (direct and transitive) one lock may hold. */
    static final int MAX_PACKAGES = 2_000;
    private static final long MAX_PUBLIC_KEY_BYTES = 64 * 1024;

    private final ManifestParser manifests;
    private final LockFileParser locks;
    private final LockFileWriter writer = new LockFileWriter();
    private final PathResolver paths;
    private final HelmRepoResolver helm;
    private final OciResolver oci;
    private final GitResolver git;

    public LockService(PathResolver paths, HelmRepoResolver helm, OciResolver oci, GitResolver git) {
        TomlTrees toml = new TomlTrees();
        this.manifests = new ManifestParser(toml);
        this.locks = new LockFileParser(toml);
        this.paths = Objects.requireNonNull(paths, "paths");
        this.helm = Objects.requireNonNull(helm, "helm");
        this.oci = Objects.requireNonNull(oci, "oci");
        this.git = Objects.requireNonNull(git, "git");
    }

    /**
     * Wires the default resolvers over one {@link RemoteClient} (its address policy, caps and
     * timeouts apply to index.yaml, charts, registries and git smart HTTP alike).
     */
    public static LockService create(RemoteClient remote, SignatureVerifier verifier, HelmRepoResolver.Limits helmLimits) {
        return create(remote, verifier, helmLimits, Map.of());
    }

    /**
     * @param registryLogins credentials per OCI registry {@code host[:port]} (lower case); registries not
     *                       named are read anonymously (a caller's own registry uses the caller's credentials)
     */
    public static LockService create(RemoteClient remote, SignatureVerifier verifier, HelmRepoResolver.Limits helmLimits,
                                     Map<String, RegistryLogin> registryLogins) {
        HelmRepoResolver helm = new HelmRepoResolver(remote, helmLimits);
        return new LockService(new PathResolver(), helm, new OciResolver(remote, verifier, helm.archives(), registryLogins), new GitResolver(remote));
    }

    /**
     * Locks a workspace directory: reads {@code akua.toml}, {@code akua.lock} (if present) and the
     * [signing] public key; for LOCK and UPDATE writes {@code akua.lock} atomically when its bytes change.
     */
    public LockOutcome lockWorkspace(Path workspace, LockMode mode) throws LockException {
        LockRequest request = readWorkspace(workspace, mode);
        LockOutcome outcome = resolve(request);
        if (mode != LockMode.CHECK && !outcome.lockText().equals(request.priorLockText().orElse(null))) {
            writeLock(request.workspace().orElseThrow(), outcome.lockText());
            return outcome.asWritten();
        }
        return outcome;
    }

    /**
     * What {@link #lockWorkspace} resolves: the workspace's {@code akua.toml}, {@code akua.lock} (if
     * present) and the text of its {@code [signing].cosign_public_key}, read with the same caps. For
     * clients that resolve elsewhere (a registry's {@code POST /api/v1/lock}) and write the result
     * back with {@link #writeLock}.
     */
    public static LockRequest readWorkspace(Path workspace, LockMode mode) throws LockException {
        Path dir = workspace.toAbsolutePath().normalize();
        String manifestText = readText(dir.resolve("akua.toml"), TomlTrees.MAX_DOCUMENT_CHARS, "akua.toml")
                .orElseThrow(() -> new LockException(LockException.Reason.MANIFEST_INVALID, null, "akua.toml not found in " + dir));
        Optional<String> priorText = readText(dir.resolve("akua.lock"), TomlTrees.MAX_DOCUMENT_CHARS, "akua.lock");
        AkuaManifest manifest = new ManifestParser(new TomlTrees()).parse(manifestText);
        Optional<String> key = Optional.empty();
        if (manifest.cosignPublicKey() != null) {
            key = Optional.of(readText(dir.resolve(manifest.cosignPublicKey()), MAX_PUBLIC_KEY_BYTES, "[signing].cosign_public_key")
                    .orElseThrow(() -> new LockException(LockException.Reason.IO, null,
                            "[signing].cosign_public_key " + manifest.cosignPublicKey() + " not found")));
        }
        return new LockRequest(manifestText, priorText, mode, Optional.of(dir), key, Optional.empty());
    }

    /** Writes {@code akua.lock} into {@code workspace}: temp file, fsync, atomic rename. */
    public static void writeLock(Path workspace, String lockText) throws LockException {
        writeAtomically(workspace.toAbsolutePath().normalize().resolve("akua.lock"), lockText);
    }

    /** Resolves without touching any file: the HTTP API's entry point. */
    public LockOutcome resolve(LockRequest request) throws LockException {
        AkuaManifest manifest = manifests.parse(request.manifestText());
        LockFile prior = request.priorLockText().isPresent() ? locks.parse(request.priorLockText().get()) : LockFile.empty();
        Path workspace = request.workspace().orElse(null);
        ResolveContext.Session session = new ResolveContext.Session();
        ResolveContext base = new ResolveContext(workspace == null ? Path.of(".") : workspace, workspace != null, manifest, Optional.empty(),
                request.mode() != LockMode.UPDATE, request.publicKeyPem(), request.callerRegistry(), session);

        Map<String, Node> nodes = new LinkedHashMap<>();
        Deque<Node> pending = new ArrayDeque<>();
        for (Dependency dep : manifest.dependencies()) {
            ResolveContext ctx = base.withPrior(prior.find(dep.name()));
            Node node = new Node(resolveDirect(dep, ctx, workspace), true, dep.replacePath().isPresent());
            nodes.put(dep.name(), node);
            pending.add(node);
        }
        while (!pending.isEmpty()) {
            Node parent = pending.poll();
            for (Requirement requirement : parent.resolved.requirements()) {
                Optional<Dependency> transitive = transitive(requirement, parent);
                if (transitive.isEmpty()) {
                    continue;
                }
                Node existing = nodes.get(requirement.name());
                if (existing == null) {
                    if (nodes.size() >= MAX_PACKAGES) {
                        throw new LockException(LockException.Reason.UNSUPPORTED_SOURCE, requirement.name(),
                                "the dependency graph has more than " + MAX_PACKAGES + " packages");
                    }
                    ResolveContext ctx = base.withPrior(prior.find(requirement.name()));
                    existing = new Node(resolveOne(transitive.get(), ctx), false, false);
                    nodes.put(requirement.name(), existing);
                    pending.add(existing);
                } else if (!existing.replaced && !satisfies(requirement, existing)) {
                    throw new LockException(LockException.Reason.VERSION_CONFLICT, requirement.name(),
                            requirement.declaredBy() + " requires " + requirement.name() + " `" + requirement.constraint() + "` from "
                                    + describeRepository(requirement) + ", but " + existing.resolved.entry().coordinate()
                                    + (existing.direct ? " is required by akua.toml" : " is required by " + String.join(", ", existing.requiredBy))
                                    + "; pin a compatible version in akua.toml or settle it with `replace`");
                }
                existing.requiredBy.add(parent.resolved.entry().coordinate());
                parent.edges.add(existing.resolved.entry().coordinate());
            }
        }
        return outcome(request.mode(), prior, nodes);
    }

    private LockOutcome outcome(LockMode mode, LockFile prior, Map<String, Node> nodes) throws LockException {
        List<LockedPackage> entries = new ArrayList<>();
        List<DependencyReport> reports = new ArrayList<>();
        List<Drift> drifts = new ArrayList<>();
        for (Node node : nodes.values()) {
            LockedPackage fresh = node.resolved.entry().withDependencies(List.copyOf(node.edges));
            Optional<LockedPackage> before = prior.find(fresh.name());
            if (before.isPresent() && before.get().version().equals(fresh.version()) && before.get().digest().equals(fresh.digest())) {
                fresh = fresh.preservingFrom(before.get());
            }
            entries.add(fresh);
            compare(before.orElse(null), fresh, drifts);
            if (mode == LockMode.LOCK) {
                Optional<Drift> moved = drifts.stream().filter(d -> d.name().equals(node.resolved.entry().name())
                        && d.kind() == Drift.Kind.DIGEST_CHANGED).findFirst();
                if (moved.isPresent() && isRemote(fresh.source())) {
                    throw new LockException(LockException.Reason.DRIFT, fresh.name(), "the content of " + fresh.coordinate()
                            + " changed under its pinned version (" + moved.get().before() + " -> " + moved.get().after()
                            + "): a moved tag or a re-published artifact; run lock --update to accept it");
                }
            }
            reports.add(new DependencyReport(fresh.name(), fresh.version(), fresh.source(), fresh.digest(), fresh.signature(),
                    node.direct, List.copyOf(node.requiredBy), fresh.dependencies(), node.resolved.notes()));
        }
        for (LockedPackage old : prior.packages()) {
            if (!nodes.containsKey(old.name())) {
                drifts.add(new Drift(old.name(), Drift.Kind.REMOVED, old.coordinate(), null));
            }
        }
        LockFile next = new LockFile(LockFile.CURRENT_VERSION, entries, prior.extra()).sorted();
        reports.sort((a, b) -> Utf8Order.INSTANCE.compare(a.name(), b.name()));
        drifts.sort((a, b) -> Utf8Order.INSTANCE.compare(a.name(), b.name()));
        return new LockOutcome(mode, writer.write(next), writer.write(prior), reports, drifts, false);
    }

    private static void compare(LockedPackage before, LockedPackage after, List<Drift> drifts) {
        String name = after.name();
        if (before == null) {
            drifts.add(new Drift(name, Drift.Kind.ADDED, null, after.coordinate()));
            return;
        }
        if (!before.source().equals(after.source())) {
            drifts.add(new Drift(name, Drift.Kind.SOURCE_CHANGED, before.source(), after.source()));
        }
        if (!before.version().equals(after.version())) {
            drifts.add(new Drift(name, Drift.Kind.VERSION_CHANGED, before.version(), after.version()));
        } else if (!before.digest().equals(after.digest())) {
            drifts.add(new Drift(name, Drift.Kind.DIGEST_CHANGED, before.digest(), after.digest()));
        }
        if (!Objects.equals(before.signature(), after.signature())) {
            drifts.add(new Drift(name, Drift.Kind.SIGNATURE_CHANGED, before.signature(), after.signature()));
        }
        if (!before.dependencies().equals(after.dependencies())) {
            drifts.add(new Drift(name, Drift.Kind.DEPENDENCIES_CHANGED, String.join(", ", before.dependencies()),
                    String.join(", ", after.dependencies())));
        }
        if (drifts.stream().noneMatch(d -> d.name().equals(name)) && !before.equals(after)) {
            drifts.add(new Drift(name, Drift.Kind.OTHER, before.toString(), after.toString()));
        }
    }

    private static boolean isRemote(String source) {
        return !source.startsWith("path+file://");
    }

    private Resolved resolveDirect(Dependency dep, ResolveContext ctx, Path workspace) throws LockException {
        if (dep.replacePath().isPresent()) {
            requireWorkspace(workspace, dep.name(), "replace path");
            return switch (dep) {
                case Dependency.Oci o -> paths.replaced(o.name(), o.version(), o.ref(), o.replace(), workspace);
                case Dependency.Git g -> paths.replaced(g.name(), g.ref(), GitResolver.source(g.url(), g.ref()), g.replace(), workspace);
                case Dependency.HelmRepo h -> paths.replaced(h.name(), h.version(), HelmRepoResolver.source(h.repo(), h.chart()),
                        h.replace(), workspace);
                case Dependency.Path p -> throw new IllegalStateException("path deps cannot be replaced");
            };
        }
        if (dep instanceof Dependency.Path p) {
            requireWorkspace(workspace, p.name(), "path dependency");
            return paths.resolve(p, workspace);
        }
        return resolveOne(dep, ctx);
    }

    private Resolved resolveOne(Dependency dep, ResolveContext ctx) throws LockException {
        try {
            return switch (dep) {
                case Dependency.Oci o -> oci.resolve(o, ctx);
                case Dependency.Git g -> git.resolve(g, ctx);
                case Dependency.HelmRepo h -> helm.resolve(h, ctx);
                case Dependency.Path p -> paths.resolve(p, ctx.workspace());
            };
        } catch (LockException e) {
            throw e.forDependency(dep.name());
        }
    }

    /** The dependency a chart requirement stands for, or empty when the chart carries it itself. */
    private static Optional<Dependency> transitive(Requirement r, Node parent) throws LockException {
        String repo = r.repository().trim();
        if (repo.isEmpty() || repo.startsWith("file://")) {
            return Optional.empty();            // vendored under charts/: pinned by the parent's digest
        }
        if (repo.startsWith("https://") || repo.startsWith("http://")) {
            return Optional.of(new Dependency.HelmRepo(r.name(), repo, r.name(), r.constraint(), null));
        }
        if (repo.startsWith("oci://")) {
            String base = repo.endsWith("/") ? repo.substring(0, repo.length() - 1) : repo;
            return Optional.of(new Dependency.Oci(r.name(), base + "/" + r.name(), r.constraint(), null));
        }
        throw new LockException(LockException.Reason.UNSUPPORTED_SOURCE, r.name(), parent.resolved.entry().coordinate()
                + " declares it from repository `" + repo + "`; only https://, oci:// and vendored (file://) chart dependencies can be locked");
    }

    private static boolean satisfies(Requirement r, Node existing) {
        try {
            return VersionConstraint.parse(r.constraint()).matches(existing.resolved.entry().version());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String describeRepository(Requirement r) {
        return r.repository().isEmpty() ? "its charts/ directory" : r.repository();
    }

    private static void requireWorkspace(Path workspace, String name, String what) throws LockException {
        if (workspace == null) {
            throw new LockException(LockException.Reason.UNSUPPORTED_SOURCE, name, "a " + what
                    + " needs a workspace directory; lock this workspace locally or vendor the dependency");
        }
    }

    private static Optional<String> readText(Path file, long max, String what) throws LockException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) max + 1);
            if (bytes.length > max) {
                throw new LockException(LockException.Reason.IO, null, what + " is larger than " + max + " bytes");
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new LockException(LockException.Reason.IO, null, "cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /** Temp file in the same directory, fsync, atomic rename (ARCHITECTURE.md rule 2). */
    private static void writeAtomically(Path target, String text) throws LockException {
        Path temp = null;
        try {
            temp = Files.createTempFile(target.getParent(), ".akua.lock.", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException ignored) {
                // best effort; the failure below is what matters
            }
            throw new LockException(LockException.Reason.IO, null, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static final class Node {
        final Resolved resolved;
        final boolean direct;
        final boolean replaced;
        final TreeSet<String> edges = new TreeSet<>(Utf8Order.INSTANCE);
        final TreeSet<String> requiredBy = new TreeSet<>(Utf8Order.INSTANCE);

        Node(Resolved resolved, boolean direct, boolean replaced) {
            this.resolved = resolved;
            this.direct = direct;
            this.replaced = replaced;
        }
    }
}
