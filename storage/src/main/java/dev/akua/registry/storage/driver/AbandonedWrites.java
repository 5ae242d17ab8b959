package dev.akua.registry.storage.driver;

import java.io.IOException;
import java.time.Instant;

/**
 * Capability of drivers that can leave invisible garbage behind when a process dies in the middle
 * of a write (an object store's unfinished multipart uploads, which are billed but never listed).
 * The upload purge calls it.
 */
public interface AbandonedWrites {
    /**
     * Discards unfinished writes started before {@code startedBefore}.
     *
     * @return how many were discarded
     */
    int discardAbandonedWrites(Instant startedBefore) throws IOException;
}
