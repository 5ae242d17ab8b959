package dev.akua.registry.lockfile.helm;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.akua.registry.helm.chart.BoundedYaml;
import dev.akua.registry.helm.chart.ChartReader;
import dev.akua.registry.lockfile.error.LockException;
import dev.akua.registry.lockfile.lock.LockedPackage;
import dev.akua.registry.lockfile.manifest.Dependency;
import dev.akua.registry.lockfile.resolve.Requirement;
import dev.akua.registry.lockfile.resolve.ResolveContext;
import dev.akua.registry.lockfile.resolve.Resolved;
import dev.akua.registry.lockfile.resolve.VersionConstraint;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteException;
import dev.akua.registry.remote.RemoteRequest;
import dev.akua.registry.remote.RemoteResponse;

/**
 * Resolves the Helm-repository form {@code { repo, chart, version }} (package-format seed §2):
 * reads {@code <repo>/index.yaml} (cached, revalidated), picks the highest version satisfying the
 * constraint (or keeps the locked one while it still does), downloads the archive from its first
 * URL (relative URLs resolve against {@code <repo>/}, as Helm does), and pins the sha256 of the
 * archive bytes. The index's {@code digest} must match; an index without one is accepted with the
 * computed digest and a note. The archive's Chart.yaml {@code dependencies} are handed back as
 * requirements for the graph walk.
 * <p>
 * Lock entry: {@code version} = the chart version, {@code source} =
 * {@code helm+<repo URL without trailing slash>#<chart>} (a chart name cannot contain {@code #}, and
 * repository URLs with a query or fragment are refused, so the split is unambiguous), {@code digest}
 * = {@code sha256:<archive hex>}.
 */
public final class HelmRepoResolver {
    /**
     * Bounds on remote Helm data.
     *
     * @param maxIndexBytes        largest index.yaml
     * @param maxIndexVersions     most chart versions in one index
     * @param maxChartBytes        largest chart archive
     * @param maxChartUncompressed largest expanded chart archive
     * @param revalidateAfter      how long a cached index is used without asking the repository again
     * @param maxCachedVersions    cache bound, in chart versions over all cached indexes
     * @param maxCacheAge          longest time an index stays cached
     */
    public record Limits(long maxIndexBytes, int maxIndexVersions, long maxChartBytes, long maxChartUncompressed,
                         Duration revalidateAfter, long maxCachedVersions, Duration maxCacheAge) {
        /** 64 MiB indexes of up to 500k versions, 32 MiB charts expanding to 256 MiB, revalidate after 60 s. */
        public static Limits defaults() {
            return new Limits(64L << 20, 500_000, 32L << 20, 256L << 20, Duration.ofSeconds(60), 2_000_000, Duration.ofHours(1));
        }

        public Limits withMaxIndexBytes(long value) {
            return new Limits(value, maxIndexVersions, maxChartBytes, maxChartUncompressed, revalidateAfter, maxCachedVersions, maxCacheAge);
        }

        public Limits withRevalidateAfter(Duration value) {
            return new Limits(maxIndexBytes, maxIndexVersions, maxChartBytes, maxChartUncompressed, value, maxCachedVersions, maxCacheAge);
        }
    }

    private final RemoteClient remote;
    private final HelmIndexCache indexes;
    private final ChartArchive archives;
    private final Limits limits;

    public HelmRepoResolver(RemoteClient remote, Limits limits) {
        this.remote = remote;
        this.limits = limits;
        BoundedYaml indexYaml = new BoundedYaml((int) Math.min(Integer.MAX_VALUE, limits.maxIndexBytes()), 64);
        this.indexes = new HelmIndexCache(remote, indexYaml, limits.maxIndexBytes(), limits.maxIndexVersions(),
                limits.revalidateAfter(), limits.maxCachedVersions(), limits.maxCacheAge());
        ChartReader.Limits helm = ChartReader.Limits.helm();
        this.archives = new ChartArchive(new ChartReader(new ChartReader.Limits(
                Math.min(limits.maxChartUncompressed(), helm.maxExpandedBytes()), helm.maxFileBytes(), helm.maxEntries(),
                helm.maxChartYamlBytes())));
    }

    /** The archive reader shared with the OCI resolver for Helm-chart layers. */
    public ChartArchive archives() {
        return archives;
    }

    /** {@code helm+<repo>#<chart>}. */
    public static String source(String repo, String chart) {
        return "helm+" + trimSlashes(repo) + "#" + chart;
    }

    public Resolved resolve(Dependency.HelmRepo dep, ResolveContext ctx) throws LockException {
        String name = dep.name();
        URI base = repositoryBase(dep.repo(), name);
        String source = source(dep.repo(), dep.chart());
        VersionConstraint constraint;
        try {
            constraint = VersionConstraint.parse(dep.version());
        } catch (IllegalArgumentException e) {
            throw new LockException(LockException.Reason.MANIFEST_INVALID, name, e.getMessage());
        }
        HelmIndex index = index(base.resolve("index.yaml"), ctx, name);
        List<HelmIndex.ChartVersion> versions = index.versions(dep.chart());
        if (versions.isEmpty()) {
            throw new LockException(LockException.Reason.NOT_FOUND, name, "chart `" + dep.chart() + "` is not in " + base + "index.yaml");
        }
        List<String> candidates = versions.stream().map(HelmIndex.ChartVersion::version).toList();
        Optional<String> locked = ctx.lockedVersion(source, constraint).filter(candidates::contains);
        String chosen = locked.or(() -> constraint.best(candidates)).orElseThrow(() -> new LockException(
                LockException.Reason.NOT_FOUND, name, "no version of chart `" + dep.chart() + "` in " + base
                + "index.yaml satisfies `" + constraint + "`"));
        HelmIndex.ChartVersion version = versions.stream().filter(v -> v.version().equals(chosen)).findFirst().orElseThrow();
        if (version.urls().isEmpty()) {
            throw new LockException(LockException.Reason.REMOTE_CONTENT_INVALID, name,
                    "index.yaml lists no URL for " + dep.chart() + " " + chosen);
        }
        URI archiveUri = chartUri(base, version.urls().getFirst(), name);
        ChartArchive.Contents contents = download(archiveUri, name);
        List<String> notes = new ArrayList<>();
        if (version.digest() == null) {
            notes.add("index.yaml has no digest for " + dep.chart() + " " + chosen + "; pinned the sha256 computed from "
                    + archiveUri);
        } else if (!version.digest().equals(contents.sha256Hex())) {
            throw new LockException(LockException.Reason.DIGEST_MISMATCH, name, "archive " + archiveUri + " has sha256:"
                    + contents.sha256Hex() + " but index.yaml publishes sha256:" + version.digest() + " for "
                    + dep.chart() + " " + chosen);
        }
        if (contents.chartName() != null && !contents.chartName().equals(dep.chart())) {
            throw new LockException(LockException.Reason.REMOTE_CONTENT_INVALID, name, "archive " + archiveUri
                    + " holds chart `" + contents.chartName() + "`, not `" + dep.chart() + "`");
        }
        LockedPackage entry = LockedPackage.of(name, chosen, source, "sha256:" + contents.sha256Hex());
        return new Resolved(entry, requirements(contents, entry.coordinate()), notes);
    }

    static List<Requirement> requirements(ChartArchive.Contents contents, String declaredBy) {
        return contents.dependencies().stream()
                .map(d -> new Requirement(d.name(), d.version(), d.repository(), declaredBy))
                .toList();
    }

    private HelmIndex index(URI indexUri, ResolveContext ctx, String name) throws LockException {
        HelmIndex memo = ctx.session().get(indexUri);
        if (memo != null) {
            return memo;
        }
        try {
            HelmIndex index = indexes.get(indexUri);
            ctx.session().put(indexUri, index);
            return index;
        } catch (RemoteException e) {
            throw remoteFailure(name, "cannot read " + indexUri, e);
        } catch (IOException e) {
            RemoteException remoteCause = remoteCause(e);
            if (remoteCause != null) {
                throw remoteFailure(name, "cannot read " + indexUri, remoteCause);
            }
            throw new LockException(LockException.Reason.REMOTE_CONTENT_INVALID, name,
                    indexUri + " is not an acceptable index.yaml: " + e.getMessage(), e);
        }
    }

    private ChartArchive.Contents download(URI uri, String name) throws LockException {
        try (RemoteResponse response = remote.fetch(RemoteRequest.get(uri).withMaxBodyBytes(limits.maxChartBytes()))) {
            return archives.read(response.body());
        } catch (IOException e) {
            RemoteException remoteCause = remoteCause(e);
            if (remoteCause != null) {
                throw remoteFailure(name, "cannot download " + uri, remoteCause);
            }
            throw new LockException(LockException.Reason.REMOTE_CONTENT_INVALID, name,
                    uri + " is not an acceptable chart archive: " + e.getMessage(), e);
        }
    }

    static LockException remoteFailure(String name, String action, RemoteException e) {
        return new LockException(LockException.Reason.REMOTE_FAILED, name,
                action + ": " + e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " (" + e.getMessage() + ")", e);
    }

    static RemoteException remoteCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RemoteException r) {
                return r;
            }
        }
        return null;
    }

    private static URI repositoryBase(String repo, String name) throws LockException {
        try {
            URI uri = new URI(trimSlashes(repo) + "/");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                throw new URISyntaxException(repo, "not an http(s) URL with a host");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new URISyntaxException(repo, "a repository URL may not carry a query, fragment or credentials");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new LockException(LockException.Reason.MANIFEST_INVALID, name, "repo is not a usable repository URL: " + e.getMessage());
        }
    }

    private static URI chartUri(URI base, String url, String name) throws LockException {
        try {
            return base.resolve(new URI(url));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new LockException(LockException.Reason.REMOTE_CONTENT_INVALID, name, "index.yaml has an unusable chart URL: " + url);
        }
    }

    private static String trimSlashes(String repo) {
        String r = repo.trim();
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
