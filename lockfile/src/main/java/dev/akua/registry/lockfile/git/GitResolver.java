package dev.akua.registry.lockfile.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;

import dev.akua.registry.lockfile.error.LockException;
import dev.akua.registry.lockfile.lock.LockedPackage;
import dev.akua.registry.lockfile.manifest.Dependency;
import dev.akua.registry.lockfile.resolve.ResolveContext;
import dev.akua.registry.lockfile.resolve.Resolved;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteException;

/**
 * Resolves {@code { git = url, tag = … }} / {@code { git = url, rev = <40 hex> }} as akua locks them
 * (wire contract §4.3): {@code version} = the tag or rev, {@code source = "git+<url>@<tag or rev>"},
 * {@code digest = "git:<commit sha1>"} with annotated tags peeled to their commit. A tag is read
 * from the advertised refs (no clone); a rev is checked to exist: advertised refs first, else a
 * fetch of the branches and tags into a temporary bare repository. URLs: https (and http) through
 * {@link RemoteClient} ({@link GuardedHttpConnection}), and {@code file://} only for local
 * workspaces (never for the HTTP API). ssh and git:// are refused: they would bypass the address
 * policy.
 */
public final class GitResolver {
    private static final Pattern FULL_REV = Pattern.compile("[0-9a-f]{40}");
    /** Largest single response of a git fetch (a pack). */
    static final long MAX_PACK_BYTES = 512L << 20;

    private final HttpConnectionFactory http;

    public GitResolver(RemoteClient remote) {
        this.http = GuardedHttpConnection.factory(remote, MAX_PACK_BYTES);
    }

    /** akua's {@code git+<url>@<tag or rev>}. */
    public static String source(String url, String ref) {
        return "git+" + url + "@" + ref;
    }

    public Resolved resolve(Dependency.Git dep, ResolveContext ctx) throws LockException {
        String name = dep.name();
        String url = dep.url();
        checkUrl(url, ctx, name);
        String commit;
        try {
            Collection<Ref> refs = Git.lsRemoteRepository().setRemote(url).setHeads(true).setTags(true)
                    .setTransportConfigCallback(this::guard).call();
            if (dep.tag() != null) {
                Ref tag = refs.stream().filter(r -> r.getName().equals("refs/tags/" + dep.tag())).findFirst()
                        .orElseThrow(() -> new LockException(LockException.Reason.NOT_FOUND, name,
                                "tag `" + dep.tag() + "` not found in " + url));
                ObjectId peeled = tag.getPeeledObjectId() != null ? tag.getPeeledObjectId() : tag.getObjectId();
                commit = peeled.name();
            } else {
                commit = verifyRev(dep.rev(), refs, url, name);
            }
        } catch (GitAPIException | IOException e) {
            RemoteException remote = remoteCause(e);
            if (remote != null) {
                throw new LockException(LockException.Reason.REMOTE_FAILED, name, "cannot read " + url + ": " + remote.getMessage(), e);
            }
            throw new LockException(LockException.Reason.REMOTE_FAILED, name, "cannot read " + url + ": " + e.getMessage(), e);
        }
        return Resolved.of(LockedPackage.of(name, dep.ref(), source(url, dep.ref()), "git:" + commit));
    }

    private String verifyRev(String rev, Collection<Ref> refs, String url, String name) throws LockException, GitAPIException, IOException {
        if (!FULL_REV.matcher(rev).matches()) {
            throw new LockException(LockException.Reason.MANIFEST_INVALID, name, "rev must be the full 40-hex commit id");
        }
        for (Ref ref : refs) {
            if (rev.equals(ref.getObjectId().name()) || (ref.getPeeledObjectId() != null && rev.equals(ref.getPeeledObjectId().name()))) {
                return rev;
            }
        }
        Path temp = Files.createTempDirectory("akua-lock-git-");
        try (Git git = Git.init().setBare(true).setDirectory(temp.toFile()).call()) {
            git.fetch().setRemote(url)
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                    .setTransportConfigCallback(this::guard).call();
            try (RevWalk walk = new RevWalk(git.getRepository())) {
                RevCommit commit = walk.parseCommit(ObjectId.fromString(rev));
                return commit.name();
            } catch (MissingObjectException | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
                throw new LockException(LockException.Reason.NOT_FOUND, name, "rev " + rev + " is not a commit reachable from a branch or tag of " + url);
            }
        } finally {
            deleteTree(temp);
        }
    }

    private void guard(Transport transport) {
        if (transport instanceof TransportHttp httpTransport) {
            httpTransport.setHttpConnectionFactory(http);
        }
    }

    private static void checkUrl(String url, ResolveContext ctx, String name) throws LockException {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            return;
        }
        if (lower.startsWith("file://")) {
            if (!ctx.localFiles()) {
                throw new LockException(LockException.Reason.UNSUPPORTED_SOURCE, name,
                        "file:// git URLs can only be locked in a local workspace");
            }
            return;
        }
        throw new LockException(LockException.Reason.UNSUPPORTED_SOURCE, name,
                "git URL must be https:// or file:// (akua's transports), got " + url);
    }

    private static RemoteException remoteCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RemoteException r) {
                return r;
            }
        }
        return null;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // temporary directory; a leftover is harmless
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }

}
