/**
 * Access control for akua-registry, as plain Java: the registry's HTTP layer wires
 * {@link dev.akua.registry.auth.AccessControl} (built from {@link dev.akua.registry.auth.AuthConfig})
 * and calls it for every request; the CLI wires the classes of {@code dev.akua.registry.auth.cli}.
 * The sub-packages ({@code permission}, {@code principal}, {@code token}, {@code throttle},
 * {@code audit}) are the facade's parts; the registry needs only
 * {@link dev.akua.registry.auth.audit.AuditLog}/{@link dev.akua.registry.auth.audit.AuditEvent}
 * from them (and {@code LoginThrottle.Limits} for the configuration).
 */
package dev.akua.registry.auth;
