package dev.akua.registry.lockfile.path;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.akua.registry.lockfile.error.LockException;
import dev.akua.registry.lockfile.lock.LockedPackage;
import dev.akua.registry.lockfile.manifest.Dependency;
import dev.akua.registry.lockfile.resolve.Resolved;

/**
 * Path dependencies and {@code replace} overrides, as akua locks them (wire contract §4.3): version
 * {@code local}, source {@code path+file://<declared path>}, digest = {@link TreeHash} of the
 * directory. A path dependency must stay inside the workspace (symlinks resolved).
 */
public final class PathResolver {

    public Resolved resolve(Dependency.Path dep, Path workspace) throws LockException {
        Path dir = inside(workspace, dep.path(), dep.name());
        return Resolved.of(LockedPackage.of(dep.name(), "local", "path+file://" + dep.path(), hash(dir, dep.name())));
    }

    /**
     * The entry of a dependency overridden by {@code replace = { path }}: its declared version and
     * source, the tree hash of the replacement, {@code replaced.path} recorded. The replacement may
     * live outside the workspace (akua's examples use {@code ../fork}).
     */
    public Resolved replaced(String name, String version, String source, String replacePath, Path workspace) throws LockException {
        Path dir = workspace.resolve(replacePath).normalize();
        if (!Files.isDirectory(dir)) {
            throw new LockException(LockException.Reason.IO, name, "replace path " + replacePath + " is not a directory");
        }
        return Resolved.of(LockedPackage.of(name, version, source, hash(dir, name)).withReplacedPath(replacePath));
    }

    private static Path inside(Path workspace, String declared, String name) throws LockException {
        try {
            Path root = workspace.toRealPath();
            Path dir = root.resolve(declared).normalize();
            if (!Files.isDirectory(dir)) {
                throw new LockException(LockException.Reason.IO, name, "path " + declared + " is not a directory in the workspace");
            }
            Path real = dir.toRealPath();
            if (!real.startsWith(root)) {
                throw new LockException(LockException.Reason.MANIFEST_INVALID, name, "path " + declared + " leaves the workspace");
            }
            return real;
        } catch (IOException e) {
            throw new LockException(LockException.Reason.IO, name, "cannot read path " + declared + ": " + e.getMessage(), e);
        }
    }

    private static String hash(Path dir, String name) throws LockException {
        try {
            return TreeHash.of(dir);
        } catch (IOException e) {
            throw new LockException(LockException.Reason.IO, name, "cannot hash " + dir + ": " + e.getMessage(), e);
        }
    }
}
