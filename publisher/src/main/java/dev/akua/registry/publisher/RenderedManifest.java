package dev.akua.registry.publisher;

import dev.akua.registry.publisher.yaml.KubernetesResource;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One file of akua's render output ({@code NNN-<kind>-<name>.yaml}): its name, its exact bytes, and
 * the resource it holds.
 *
 * @param fileName the file name, no directory
 * @param content  the exact bytes; callers must not modify the array
 * @param resource the Kubernetes identity of the one document in it
 */
public record RenderedManifest(String fileName, byte[] content, KubernetesResource resource) {
    public RenderedManifest {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(resource, "resource");
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }
}
