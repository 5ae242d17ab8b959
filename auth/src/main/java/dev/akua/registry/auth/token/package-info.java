/** The registry's bearer tokens: signing key and JWT issue/verification. */
package dev.akua.registry.auth.token;
