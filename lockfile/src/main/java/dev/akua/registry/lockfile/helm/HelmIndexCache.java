package dev.akua.registry.lockfile.helm;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.akua.registry.helm.chart.BoundedYaml;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteException;
import dev.akua.registry.remote.RemoteRequest;
import dev.akua.registry.remote.RemoteResponse;

/**
 * Parsed index.yaml documents, kept in a bounded Caffeine cache and revalidated with the
 * validators the repository sent ({@code If-None-Match} with the ETag, {@code If-Modified-Since}
 * with Last-Modified): a 304 reuses the parsed index, a 200 replaces it. An index is trusted without
 * asking again for {@code revalidateAfter} (0 = ask every time). Mutable data, so it is held for a
 * bounded time only (ARCHITECTURE.md, scale-out picture).
 */
public final class HelmIndexCache {
    private record Entry(HelmIndex index, String etag, String lastModified, long validatedAtNanos) {
    }

    private final RemoteClient remote;
    private final HelmIndexParser parser;
    private final long maxIndexBytes;
    private final long revalidateAfterNanos;
    private final Cache<String, Entry> cache;

    public HelmIndexCache(RemoteClient remote, BoundedYaml yaml, long maxIndexBytes, int maxIndexVersions,
                          Duration revalidateAfter, long maxCachedVersions, Duration maxAge) {
        this.remote = remote;
        this.parser = new HelmIndexParser(yaml, maxIndexVersions);
        this.maxIndexBytes = maxIndexBytes;
        this.revalidateAfterNanos = revalidateAfter.toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxCachedVersions)
                .weigher((String key, Entry e) -> e.index().weight())
                .expireAfterWrite(maxAge)
                .build();
    }

    /**
     * The current index of a repository.
     *
     * @throws RemoteException when the fetch fails (fail closed: a stale copy is never used instead)
     * @throws IOException     when the document is not an acceptable index
     */
    public HelmIndex get(URI indexUri) throws IOException {
        String key = indexUri.toString();
        Entry cached = cache.getIfPresent(key);
        long now = System.nanoTime();
        if (cached != null && now - cached.validatedAtNanos() < revalidateAfterNanos) {
            return cached.index();
        }
        RemoteRequest request = RemoteRequest.get(indexUri).withMaxBodyBytes(maxIndexBytes)
                .withHeader("Accept", "application/x-yaml, text/yaml, */*");
        if (cached != null) {
            request = request.withValidators(cached.etag(), cached.lastModified());
        }
        try (RemoteResponse response = remote.fetch(request)) {
            if (response.notModified() && cached != null) {
                cache.put(key, new Entry(cached.index(), response.etag().orElse(cached.etag()),
                        response.lastModified().orElse(cached.lastModified()), System.nanoTime()));
                return cached.index();
            }
            HelmIndex index = parser.parse(response.body(), response.uri());
            cache.put(key, new Entry(index, response.etag().orElse(null), response.lastModified().orElse(null), System.nanoTime()));
            return index;
        }
    }

    /** Drops every cached index (tests, operator action). */
    public void invalidateAll() {
        cache.invalidateAll();
    }
}
