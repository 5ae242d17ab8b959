package dev.akua.registry.http.v2;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.extension.RegistryListener;
import dev.akua.registry.extension.V2Hooks;
import dev.akua.registry.http.Urls;
import dev.akua.registry.storage.RegistryStorage;

/**
 * What the {@code /v2} endpoints share, built once by the composition root.
 *
 * @param deleteEnabled whether DELETE of manifests, tags and blobs is allowed
 * @param maxPageSize   cap on {@code n} for catalog, tags and referrers pages
 */
public record V2Context(RegistryStorage storage, Urls urls, JsonMapper json, boolean deleteEnabled, int maxPageSize,
                        V2Hooks hooks) {
    /** The push path shared with features that store content themselves. */
    dev.akua.registry.extension.ContentPush push() {
        return new dev.akua.registry.extension.ContentPush(storage, () -> hooks);
    }

    /** Tells every listener; a failing listener is logged and never fails the request. */
    void notify(java.util.function.Consumer<RegistryListener> event) {
        push().notify(event);
    }

    /** The pull-through source for a repository, if one handles it. */
    java.util.Optional<dev.akua.registry.extension.PullThrough> pullThrough(dev.akua.registry.oci.RepositoryName repo) {
        return hooks.pullThrough().stream().filter(p -> p.handles(repo)).findFirst();
    }
}
