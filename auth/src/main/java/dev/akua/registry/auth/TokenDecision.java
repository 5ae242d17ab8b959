package dev.akua.registry.auth;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.time.Duration;
import java.util.Objects;

/**
 * The token endpoint's answer ({@link AccessControl#issueToken}): a token, or a refusal whose
 * {@link Refusal#toException()} carries status, error code and headers.
 */
public sealed interface TokenDecision {
    /** 200 with {@link TokenResponse#toJson()}. */
    record Issued(TokenResponse response) implements TokenDecision {
        public Issued {
            Objects.requireNonNull(response, "response");
        }
    }

    sealed interface Refusal extends TokenDecision {
        OciException toException();
    }

    /**
     * 401 {@code UNAUTHORIZED}: the credentials are wrong (the same answer for an unknown user and
     * a wrong password). Carries {@code WWW-Authenticate: Basic realm="<service>"}, since HTTP
     * requires a challenge with 401 and this endpoint is where Basic credentials belong.
     *
     * @param message the error message
     * @param basicChallenge the challenge value
     */
    record Unauthorized(String message, String basicChallenge) implements Refusal {
        @Override
        public OciException toException() {
            return OciException.of(ErrorCode.UNAUTHORIZED, message).withHeader("WWW-Authenticate", basicChallenge);
        }
    }

    /**
     * 429 {@code TOOMANYREQUESTS}.
     *
     * @param retryAfter when to try again
     * @param message    the error message
     */
    record Throttled(Duration retryAfter, String message) implements Refusal {
        @Override
        public OciException toException() {
            return new AuthDecision.Throttled(retryAfter, message).toException();
        }
    }

    /**
     * 400: a malformed scope, too many scopes, or a {@code service} that is not this registry's.
     *
     * @param error the error to answer (status 400)
     */
    record BadRequest(OciException error) implements Refusal {
        @Override
        public OciException toException() {
            return error;
        }
    }

    /** The response, or the refusal thrown as an {@link OciException}. */
    default TokenResponse orThrow() {
        if (this instanceof Issued issued) {
            return issued.response();
        }
        throw ((Refusal) this).toException();
    }
}
