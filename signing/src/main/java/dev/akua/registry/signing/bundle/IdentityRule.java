package dev.akua.registry.signing.bundle;

import java.util.regex.Pattern;

/**
 * A keyless identity a policy trusts: the OIDC issuer recorded in the Fulcio certificate and the
 * certificate subject (email or URI SAN), each as an exact value or a regular expression that must
 * match the whole value (cosign's {@code --certificate-identity[-regexp]} and
 * {@code --certificate-oidc-issuer[-regexp]}).
 *
 * @param issuer       exact issuer, or null when {@code issuerRegex} is set
 * @param issuerRegex  issuer pattern, or null
 * @param subject      exact subject, or null when {@code subjectRegex} is set
 * @param subjectRegex subject pattern, or null
 */
public record IdentityRule(String issuer, String issuerRegex, String subject, String subjectRegex) {
    public IdentityRule {
        if ((issuer == null) == (issuerRegex == null)) {
            throw new IllegalArgumentException("a keyless identity needs exactly one of issuer and issuerRegex");
        }
        if ((subject == null) == (subjectRegex == null)) {
            throw new IllegalArgumentException("a keyless identity needs exactly one of subject and subjectRegex");
        }
        if (issuerRegex != null) {
            Pattern.compile(issuerRegex);
        }
        if (subjectRegex != null) {
            Pattern.compile(subjectRegex);
        }
    }

    public boolean matches(String certIssuer, String certSubject) {
        return matches(issuer, issuerRegex, certIssuer) && matches(subject, subjectRegex, certSubject);
    }

    private static boolean matches(String exact, String regex, String value) {
        if (value == null) {
            return false;
        }
        return exact != null ? exact.equals(value) : Pattern.compile(regex).matcher(value).matches();
    }

    @Override
    public String toString() {
        return "{issuer " + (issuer != null ? issuer : "~/" + issuerRegex + "/")
                + ", subject " + (subject != null ? subject : "~/" + subjectRegex + "/") + "}";
    }
}
