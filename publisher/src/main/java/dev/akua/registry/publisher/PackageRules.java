package dev.akua.registry.publisher;

/**
 * What the policy of an akua package repository asks of a pushed package beyond a valid archive
 * and {@code akua.toml}.
 *
 * @param nameMatchesRepository {@code [package].name} must equal the repository's last path component
 * @param versionMatchesTag     {@code [package].version} must equal the tag pushed to (pushes by
 *                              digest carry no tag and are not checked)
 */
public record PackageRules(boolean nameMatchesRepository, boolean versionMatchesTag) {
    public static PackageRules none() {
        return new PackageRules(false, false);
    }
}
