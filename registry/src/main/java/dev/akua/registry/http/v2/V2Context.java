package dev.akua.registry.http.v2;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.http.Urls;
import dev.akua.registry.storage.RegistryStorage;

/**
 * What the {@code /v2} endpoints share, built once by the composition root.
 *
 * @param deleteEnabled whether DELETE of manifests, tags and blobs is allowed
 * @param maxPageSize   cap on {@code n} for catalog, tags and referrers pages
 */
public record V2Context(RegistryStorage storage, Urls urls, JsonMapper json, boolean deleteEnabled, int maxPageSize) {
}
