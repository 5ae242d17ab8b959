package dev.akua.registry.extension;

import java.util.Map;

/**
 * Where features record security-relevant events (server-side signing, publishing, GC deletions).
 * The auth feature publishes the real one (append-only JSON lines) as a {@link FeatureContext}
 * service; without it, events are dropped.
 */
@FunctionalInterface
public interface AuditTrail {

    /**
     * @param event      a short verb, e.g. {@code sign}, {@code publish}
     * @param caller     who did it
     * @param repository the repository, or null
     * @param digest     the content digest, or null
     * @param details    extra fields (key names, counts), may be empty
     */
    void record(String event, Caller caller, String repository, String digest, Map<String, String> details);

    AuditTrail NONE = (event, caller, repository, digest, details) -> {
    };
}
