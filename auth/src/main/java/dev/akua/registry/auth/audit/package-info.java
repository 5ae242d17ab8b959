/** The append-only audit log. */
package dev.akua.registry.auth.audit;
