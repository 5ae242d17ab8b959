package dev.akua.registry.storage.catalog;

import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.storage.StorageFailures;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.driver.StoragePath;
import dev.akua.registry.storage.layout.Layout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Repositories, found by walking {@code /repositories}: a directory holding {@code _manifests} or
 * {@code _layers} is a repository; nested repositories ({@code a} and {@code a/b}) are both found.
 */
public final class Catalog {
    private final StorageDriver driver;

    public Catalog(StorageDriver driver) {
        this.driver = driver;
    }

    /** True once something was pushed into the repository (a blob link or a manifest). */
    public boolean exists(RepositoryName repo) {
        try {
            return driver.exists(Layout.manifestsDir(repo)) || driver.exists(Layout.layersDir(repo));
        } catch (IOException e) {
            throw StorageFailures.unavailable("looking up repository " + repo, e);
        }
    }

    /** Every repository, sorted by name. */
    public List<RepositoryName> all() {
        List<RepositoryName> out = new ArrayList<>();
        try {
            walk(Layout.REPOSITORIES, "", out);
        } catch (PathNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw StorageFailures.unavailable("listing repositories", e);
        }
        out.sort(null);
        return out;
    }

    private void walk(String dir, String name, List<RepositoryName> out) throws IOException {
        List<String> children;
        try {
            children = driver.list(dir);
        } catch (PathNotFoundException e) {
            if (name.isEmpty()) {
                throw e;
            }
            return;
        }
        boolean repository = false;
        for (String child : children) {
            String base = StoragePath.baseName(child);
            if (base.equals(Layout.MANIFESTS_DIR) || base.equals(Layout.LAYERS_DIR)) {
                repository = true;
            } else if (!base.startsWith("_")) {
                walk(child, name.isEmpty() ? base : name + "/" + base, out);
            }
        }
        if (repository && RepositoryName.isValid(name)) {
            out.add(new RepositoryName(name));
        }
    }
}
