package dev.akua.registry.storage.trash;

import dev.akua.registry.storage.driver.FileInfo;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.driver.StoragePath;
import dev.akua.registry.storage.layout.Layout;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Soft deletion for the garbage collector. What the collector removes is moved to a trash batch
 * ({@code /_gc/trash/<batch>/<original path>}) instead of being deleted; a push that needs the
 * object again (its client saw it moments ago) puts it back; batches older than the grace period
 * are purged for good by a later run.
 *
 * <p>Why: an object store has no atomic "delete if still unreferenced", so a collector's decision
 * can be overtaken by a push between its last look and its delete. With a trash, whichever of
 * the two acts second notices the other (the push re-checks after it wrote, the collector
 * re-checks after it moved) and the object comes back; nothing a successful push depends on is
 * lost for good unless a client relied on it for longer than the grace period.
 *
 * <p>Batch names start with their UTC creation time, so they sort by age and a purge needs no
 * modification times (a rename keeps the original file's time on a filesystem).
 */
public final class Trash {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Trash.class.getName());
    private static final DateTimeFormatter BATCH_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private final StorageDriver driver;

    public Trash(StorageDriver driver) {
        this.driver = driver;
    }

    /** A batch name for a collector run started at {@code at}; {@code tag} keeps runs of replicas apart. */
    public static String batchName(Instant at, String tag) {
        String name = BATCH_TIME.format(at) + "-" + tag;
        StoragePath.check("/" + name);
        return name;
    }

    /** When a batch was created, from its name; empty for a name this class did not make. */
    public static Optional<Instant> batchTime(String batch) {
        int dash = batch.indexOf('-');
        try {
            return Optional.of(Instant.from(BATCH_TIME.parse(dash < 0 ? batch : batch.substring(0, dash))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Moves {@code path} into the batch; false if it no longer exists. */
    public boolean discard(String batch, String path) throws IOException {
        try {
            driver.move(path, Layout.trashed(batch, path));
            return true;
        } catch (PathNotFoundException e) {
            return false;
        }
    }

    /**
     * Puts back the newest trashed copy of {@code path} unless the path already exists.
     *
     * @return true if the path exists afterwards
     */
    public boolean restore(String path) throws IOException {
        if (driver.exists(path)) {
            return true;
        }
        for (String batch : batches()) {
            try {
                driver.move(Layout.trashed(batch, path), path);
                LOG.info("restored " + path + " from gc trash batch " + batch);
                return true;
            } catch (PathNotFoundException e) {
                // not in this batch (or restored concurrently)
            }
        }
        return driver.exists(path);
    }

    /** True if some batch holds a copy of {@code path}. */
    public boolean holds(String path) throws IOException {
        for (String batch : batches()) {
            if (driver.exists(Layout.trashed(batch, path))) {
                return true;
            }
        }
        return false;
    }

    /** Batch names, newest first. */
    public List<String> batches() throws IOException {
        List<String> out = new ArrayList<>();
        try {
            for (String p : driver.list(Layout.TRASH)) {
                out.add(StoragePath.baseName(p));
            }
        } catch (PathNotFoundException e) {
            return List.of();
        }
        out.sort(Comparator.reverseOrder());
        return out;
    }

    /** Visits the objects of a batch, reported under their original paths. */
    public void walk(String batch, Consumer<FileInfo> visitor) throws IOException {
        String prefix = Layout.TRASH + "/" + batch;
        driver.walk(prefix, info -> visitor.accept(
                new FileInfo(info.path().substring(prefix.length()), info.size(), info.modifiedAt(), false)));
    }

    /** Deletes a batch for good. */
    public void purge(String batch) throws IOException {
        try {
            driver.delete(Layout.TRASH + "/" + batch);
        } catch (PathNotFoundException e) {
            // purged concurrently
        }
    }
}
