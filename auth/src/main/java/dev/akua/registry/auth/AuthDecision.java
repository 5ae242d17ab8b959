package dev.akua.registry.auth;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The answer to "may this request go on?" ({@link AccessControl#authorize}). Either
 * {@link Allowed}, or a refusal the HTTP layer turns into a response: {@link #orThrow()} throws
 * the {@link OciException} (status, spec error code, and the {@code WWW-Authenticate} or
 * {@code Retry-After} header) for the registry's one error handler to write.
 */
public sealed interface AuthDecision {
    /** Go on, as {@code caller}. */
    record Allowed(Caller caller) implements AuthDecision {
        public Allowed {
            Objects.requireNonNull(caller, "caller");
        }
    }

    /** A refusal, with the exception that carries its response. */
    sealed interface Refusal extends AuthDecision {
        OciException toException();
    }

    /**
     * 401 {@code UNAUTHORIZED}: get a token and come back.
     *
     * @param wwwAuthenticate the exact {@code WWW-Authenticate} value (a Bearer challenge, no commas inside values)
     * @param message         the error message
     * @param scopes          the scopes the challenge names (the envelope's {@code detail})
     */
    record Unauthorized(String wwwAuthenticate, String message, List<Scope> scopes) implements Refusal {
        public Unauthorized {
            Objects.requireNonNull(wwwAuthenticate, "wwwAuthenticate");
            Objects.requireNonNull(message, "message");
            scopes = List.copyOf(scopes);
        }

        @Override
        public OciException toException() {
            List<String> detail = scopes.stream().map(Scope::toString).toList();
            return OciException.of(ErrorCode.UNAUTHORIZED, message, detail.isEmpty() ? null : detail)
                    .withHeader("WWW-Authenticate", wwwAuthenticate);
        }
    }

    /**
     * 403 {@code DENIED}: the caller is known and may not do this; another token will not help.
     *
     * @param message names the principal, the action and the repository (or the immutability rule)
     */
    record Denied(String message) implements Refusal {
        public Denied {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public OciException toException() {
            return OciException.of(ErrorCode.DENIED, message);
        }
    }

    /**
     * 429 {@code TOOMANYREQUESTS}: too many failed logins from this address or for this user.
     *
     * @param retryAfter when to try again ({@code Retry-After} in whole seconds)
     * @param message    the error message
     */
    record Throttled(Duration retryAfter, String message) implements Refusal {
        public Throttled {
            Objects.requireNonNull(retryAfter, "retryAfter");
            Objects.requireNonNull(message, "message");
        }

        /** The {@code Retry-After} value: whole seconds, at least 1. */
        public String retryAfterHeader() {
            return Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
        }

        @Override
        public OciException toException() {
            return OciException.of(ErrorCode.TOOMANYREQUESTS, message).withHeader("Retry-After", retryAfterHeader());
        }
    }

    /** The caller, or the refusal thrown as an {@link OciException}. */
    default Caller orThrow() {
        if (this instanceof Allowed allowed) {
            return allowed.caller();
        }
        throw ((Refusal) this).toException();
    }
}
