package dev.akua.registry.auth.principal;

import dev.akua.registry.auth.Principal;
import dev.akua.registry.auth.permission.PatternGrant;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A long-lived secret that stands for a principal: a robot account's token (CI), or a user's
 * personal access token (what akua's {@code auth add --token} stores, sent directly as
 * {@code Authorization: Bearer}, akua-wire-contract.md §1.5). Only the SHA-256 of the secret is
 * kept: the secret is 256 random bits, so a fast hash is enough and a check costs microseconds
 * even when akua sends it on every request.
 *
 * @param id          public identifier, part of the secret's text
 * @param kind        robot or personal
 * @param name        the robot's name, or the owning user
 * @param description free text from the creator
 * @param secretHash  {@code sha256:<hex>} of the whole secret string
 * @param scopes      a robot's rights, or a personal token's restriction of its owner's rights
 *                    (empty = all of the owner's rights)
 * @param created     creation time
 * @param expires     end of validity, if any
 * @param revoked     revocation time, if revoked
 */
public record ApiToken(String id, Kind kind, String name, String description, String secretHash,
                       List<PatternGrant> scopes, Instant created, Optional<Instant> expires, Optional<Instant> revoked) {
    public enum Kind {
        ROBOT("robot"),
        PERSONAL("personal");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wireName() {
            return wire;
        }

        static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.wire.equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown token kind '" + s + "'");
        }
    }

    public enum Status { ACTIVE, EXPIRED, REVOKED }

    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(secretHash, "secretHash");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(revoked, "revoked");
    }

    /** The principal the token acts as: {@code robot:<name>} or {@code user:<owner>}. */
    public Principal principal() {
        return kind == Kind.ROBOT ? Principal.robot(name) : Principal.user(name);
    }

    public Status status(Instant now) {
        if (revoked.isPresent()) {
            return Status.REVOKED;
        }
        if (expires.isPresent() && !now.isBefore(expires.get())) {
            return Status.EXPIRED;
        }
        return Status.ACTIVE;
    }

    ApiToken revokedAt(Instant when) {
        return new ApiToken(id, kind, name, description, secretHash, scopes, created, expires, Optional.of(when));
    }
}
