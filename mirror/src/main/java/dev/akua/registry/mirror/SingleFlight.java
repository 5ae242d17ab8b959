package dev.akua.registry.mirror;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Coalesces concurrent work on the same key: the first caller does it on its own thread, callers
 * arriving meanwhile wait for that outcome (result or failure) instead of repeating the work.
 * Nothing is remembered after the work ends; callers re-check storage first.
 */
final class SingleFlight<K> {
    /** Work that may fail with an I/O error or a runtime exception. */
    @FunctionalInterface
    interface Work {
        void run() throws IOException;
    }

    private final ConcurrentHashMap<K, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

    void run(K key, Work work) throws IOException {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> theirs = running.putIfAbsent(key, mine);
        if (theirs != null) {
            await(theirs);
            return;
        }
        try {
            work.run();
            mine.complete(null);
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }

    private static void await(CompletableFuture<Void> flight) throws IOException {
        try {
            flight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a fetch in progress", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new IOException(io.getMessage(), io);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }
}
