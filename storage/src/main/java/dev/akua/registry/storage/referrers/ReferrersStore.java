package dev.akua.registry.storage.referrers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.storage.StorageFailures;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.layout.Layout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The referrers index: one small object per (subject, referrer) pair, written when a manifest with a
 * {@code subject} is pushed and removed when it is deleted. One object per entry means concurrent
 * pushes of referrers to the same subject never overwrite each other.
 */
public final class ReferrersStore {
    private final StorageDriver driver;
    private final JsonMapper json;

    public ReferrersStore(StorageDriver driver, JsonMapper json) {
        this.driver = driver;
        this.json = json;
    }

    public void add(RepositoryName repo, Digest subject, ReferrerDescriptor referrer) {
        ObjectNode node = json.createObjectNode();
        node.put("mediaType", referrer.mediaType());
        node.put("digest", referrer.digest().toString());
        node.put("size", referrer.size());
        if (referrer.artifactType() != null) {
            node.put("artifactType", referrer.artifactType());
        }
        if (!referrer.annotations().isEmpty()) {
            ObjectNode ann = node.putObject("annotations");
            referrer.annotations().forEach(ann::put);
        }
        try {
            driver.putContent(Layout.referrerEntry(repo, subject, referrer.digest()), json.writeValueAsBytes(node));
        } catch (IOException e) {
            throw StorageFailures.unavailable("indexing referrer " + referrer.digest() + " of " + subject, e);
        }
    }

    public void remove(RepositoryName repo, Digest subject, Digest referrer) {
        try {
            driver.delete(Layout.referrerEntry(repo, subject, referrer));
        } catch (PathNotFoundException e) {
            // nothing indexed
        } catch (IOException e) {
            throw StorageFailures.unavailable("removing referrer " + referrer + " of " + subject, e);
        }
    }

    /** Every referrer of {@code subject} in the repository, ordered by digest. */
    public List<ReferrerDescriptor> list(RepositoryName repo, Digest subject) {
        List<String> paths;
        try {
            paths = driver.list(Layout.referrersDir(repo, subject));
        } catch (PathNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw StorageFailures.unavailable("listing referrers of " + subject, e);
        }
        List<ReferrerDescriptor> out = new ArrayList<>(paths.size());
        for (String path : paths) {
            try {
                out.add(parse(json.readTree(driver.getContent(path))));
            } catch (PathNotFoundException e) {
                // removed concurrently
            } catch (IOException e) {
                throw StorageFailures.unavailable("reading referrer entry " + path, e);
            }
        }
        out.sort((a, b) -> a.digest().toString().compareTo(b.digest().toString()));
        return out;
    }

    private static ReferrerDescriptor parse(JsonNode node) {
        Map<String, String> annotations = new LinkedHashMap<>();
        JsonNode ann = node.get("annotations");
        if (ann != null && ann.isObject()) {
            ann.properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
        }
        JsonNode artifactType = node.get("artifactType");
        return new ReferrerDescriptor(node.get("mediaType").asText(), Digest.parse(node.get("digest").asText()),
                node.get("size").asLong(), artifactType == null ? null : artifactType.asText(), annotations);
    }
}
