package dev.akua.registry.auth.audit;

/**
 * Where audit events go. Implementations are thread-safe and never throw for an event they
 * cannot store (an audit failure must not turn a served request into a 500); they report it in
 * the server log instead.
 */
public interface AuditLog extends AutoCloseable {
    void record(AuditEvent event);

    @Override
    void close();

    /** Drops everything: auditing switched off. */
    static AuditLog discard() {
        return new AuditLog() {
            @Override
            public void record(AuditEvent event) {
            }

            @Override
            public void close() {
            }
        };
    }
}
