package dev.akua.registry.storage.driver;

import java.net.URI;
import java.util.Optional;

/**
 * Capability of drivers whose objects clients can fetch directly (an object store's presigned
 * URL), so the registry answers a blob GET with a redirect instead of streaming the bytes itself
 * (distribution-spec "Pulling blobs": a registry MAY redirect with 307).
 */
public interface ReadRedirects {
    /**
     * A URL that serves the object's bytes, valid for a limited time, or empty when this object
     * (or this driver's configuration) should be served through the registry.
     */
    Optional<URI> redirectFor(String path);
}
