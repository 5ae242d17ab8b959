package dev.akua.registry.signing;

import dev.akua.registry.signing.bundle.IdentityRule;

/**
 * A keyless (Fulcio certificate) identity a policy trusts: the OIDC issuer and the certificate
 * subject, each exact or as a whole-value regular expression (cosign's
 * {@code --certificate-oidc-issuer[-regexp]} and {@code --certificate-identity[-regexp]}).
 * Exactly one of each pair is set.
 */
public record KeylessIdentity(String issuer, String issuerRegex, String subject, String subjectRegex) {
    public KeylessIdentity {
        new IdentityRule(issuer, issuerRegex, subject, subjectRegex); // validates
    }

    public static KeylessIdentity exact(String issuer, String subject) {
        return new KeylessIdentity(issuer, null, subject, null);
    }

    public static KeylessIdentity subjectPattern(String issuer, String subjectRegex) {
        return new KeylessIdentity(issuer, null, null, subjectRegex);
    }

    IdentityRule rule() {
        return new IdentityRule(issuer, issuerRegex, subject, subjectRegex);
    }

    @Override
    public String toString() {
        return rule().toString();
    }
}
