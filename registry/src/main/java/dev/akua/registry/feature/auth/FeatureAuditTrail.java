package dev.akua.registry.feature.auth;

import dev.akua.registry.auth.audit.AuditEvent;
import dev.akua.registry.auth.audit.AuditLog;
import dev.akua.registry.extension.AuditTrail;
import dev.akua.registry.extension.Caller;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link AuditTrail} other features record into (signing, publishing, GC): the same
 * append-only JSON-lines file as the auth events, with the feature's verb as {@code event} and its
 * details under {@code attributes}. An event the log cannot take (a name that is not a short
 * lower-case verb, or that imitates a built-in event such as {@code login_failed}) is dropped
 * with a SEVERE log line: auditing never fails the request that caused it.
 */
final class FeatureAuditTrail implements AuditTrail {
    private static final Logger LOG = Logger.getLogger(FeatureAuditTrail.class.getName());
    private final AuditLog log;

    FeatureAuditTrail(AuditLog log) {
        this.log = log;
    }

    @Override
    public void record(String event, Caller caller, String repository, String digest, Map<String, String> details) {
        AuditEvent e;
        try {
            e = AuditEvent.feature(event, caller.subject(), caller.clientAddress(), repository, digest, details);
        } catch (IllegalArgumentException | NullPointerException ex) {
            LOG.log(Level.SEVERE, "audit event '" + event + "' dropped: " + ex.getMessage());
            return;
        }
        log.record(e);
    }
}
