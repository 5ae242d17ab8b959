package dev.akua.registry.mirror;

import dev.akua.registry.signing.RepositoryPattern;

import java.util.List;
import java.util.Objects;

/**
 * What an export takes: repositories (local names; patterns with {@code *} and {@code **} are
 * matched against the registry's catalog) and, per repository pattern, which tags. Signatures,
 * attestations and referrers of every selected manifest always come along.
 */
public record ExportSelection(List<Item> items) {
    public ExportSelection {
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("an export needs at least one repository");
        }
    }

    public record Item(RepositoryPattern repository, TagFilter tags) {
        public Item {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(tags, "tags");
        }

        /** {@code REPO}, {@code REPO:TAG-PATTERN} (patterns with {@code *}), as the CLI takes them. */
        public static Item parse(String text, TagFilter defaultTags) {
            int colon = text.indexOf(':');
            if (colon < 0) {
                return new Item(RepositoryPattern.parse(text), defaultTags);
            }
            return new Item(RepositoryPattern.parse(text.substring(0, colon)), TagFilter.of(List.of(text.substring(colon + 1)), null));
        }
    }
}
