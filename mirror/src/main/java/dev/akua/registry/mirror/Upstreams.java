package dev.akua.registry.mirror;

import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteException;
import dev.akua.registry.remote.oci.RegistryClient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured upstream registries with one {@link RegistryClient} each (all traffic through the
 * one {@link RemoteClient}, so the address policy, caps and redirect checks hold), and a short
 * memory of which upstream failed to answer: after a connection failure, timeout, 5xx or 429 the
 * pull-through cache serves what it holds without asking that upstream again for
 * {@link MirrorLimits#upstreamRetryAfter()}, so an unreachable upstream costs one timeout, not one
 * per request.
 */
public final class Upstreams {
    private final Map<String, Source> byName = new LinkedHashMap<>();

    private Upstreams(List<Upstream> upstreams, RemoteClient remote, MirrorLimits limits) {
        for (Upstream u : upstreams) {
            byName.put(u.name(), new Source(u, RegistryClient.create(remote, u.url(), u.login()), limits.upstreamRetryAfter().toNanos()));
        }
    }

    public static Upstreams create(List<Upstream> upstreams, RemoteClient remote, MirrorLimits limits) {
        return new Upstreams(upstreams, remote, limits);
    }

    public List<Upstream> all() {
        return byName.values().stream().map(Source::upstream).toList();
    }

    Optional<Source> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The upstream whose prefix holds {@code local}. */
    Optional<Source> forLocal(RepositoryName local) {
        return byName.values().stream().filter(s -> s.upstream().upstreamName(local).isPresent()).findFirst();
    }

    /** One upstream: its settings, its client, and whether it answered lately. */
    static final class Source {
        private final Upstream upstream;
        private final RegistryClient client;
        private final long retryAfterNanos;
        private volatile long downUntil;
        private volatile boolean down;

        Source(Upstream upstream, RegistryClient client, long retryAfterNanos) {
            this.upstream = upstream;
            this.client = client;
            this.retryAfterNanos = retryAfterNanos;
        }

        Upstream upstream() {
            return upstream;
        }

        RegistryClient client() {
            return client;
        }

        String upstreamName(RepositoryName local) {
            return upstream.upstreamName(local).orElseThrow(() ->
                    new IllegalArgumentException(local + " is not under the prefix " + upstream.prefix()));
        }

        /** True while a recent failure says the upstream does not answer. */
        boolean recentlyDown() {
            return down && System.nanoTime() - downUntil < 0;
        }

        /** Records the outcome of a request: connectivity failures start the quiet period, anything else ends it. */
        void record(Throwable failure) {
            if (failure != null && isUnreachable(failure)) {
                downUntil = System.nanoTime() + retryAfterNanos;
                down = true;
            } else if (failure == null) {
                down = false;
            }
        }
    }

    /** Failures that say "the upstream does not answer" rather than "the answer is no". */
    static boolean isUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RemoteException r) {
                return switch (r.kind()) {
                    case CONNECTION_FAILED, TIMEOUT, UPSTREAM_ERROR, RATE_LIMITED, TRUNCATED -> true;
                    default -> false;
                };
            }
        }
        return false;
    }
}
