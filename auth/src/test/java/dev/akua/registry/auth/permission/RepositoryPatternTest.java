package dev.akua.registry.auth.permission;

import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepositoryPatternTest {
    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "a/b, a/b, true",
            "a/b, a/bc, false",
            "a/b, a/b/c, false",
            "a/b, a, false",
            "a/*, a/b, true",
            "a/*, a/bc, true",
            "a/*, a/b/c, false",
            "a/*, a, false",
            "a/**, a/b/c/d, true",
            "a/**, a, false",
            "a/**, ab/c, false",
            "**, x, true",
            "**, x/y/z, true",
            "a/b?, a/bc, true",
            "a/b?, a/b/c, false",
            "*/app, team/app, true",
            "*/app, team/x/app, false",
            "team.a/*, team.a/x, true",
            "team.a/*, teamxa/x, false",
    })
    void matches_globs_wholeNameOnly(String glob, String name, boolean expected) {
        assertEquals(expected, RepositoryPattern.parse(glob).matches(RepositoryName.parse(name)));
    }

    @Test
    void longestMatch_mostSpecificPatternWins() {
        List<RepositoryPattern> ps = List.of(RepositoryPattern.parse("**"), RepositoryPattern.parse("a/**"),
                RepositoryPattern.parse("a/b"), RepositoryPattern.parse("a/*"));
        assertEquals("a/b", RepositoryPattern.longestMatch(ps, p -> p, RepositoryName.parse("a/b")).orElseThrow().glob());
        assertEquals("a/*", RepositoryPattern.longestMatch(ps, p -> p, RepositoryName.parse("a/bc")).orElseThrow().glob());
        assertEquals("a/**", RepositoryPattern.longestMatch(ps, p -> p, RepositoryName.parse("a/b/c")).orElseThrow().glob());
        assertEquals("**", RepositoryPattern.longestMatch(ps, p -> p, RepositoryName.parse("a")).orElseThrow().glob());
    }

    @Test
    void longestMatch_sameLiterals_singleStarBeatsDoubleStar() {
        List<RepositoryPattern> ps = List.of(RepositoryPattern.parse("a/**"), RepositoryPattern.parse("a/*"));
        assertEquals("a/*", RepositoryPattern.longestMatch(ps, p -> p, RepositoryName.parse("a/b")).orElseThrow().glob());
    }

    @Test
    void longestMatch_equalSpecificity_firstDeclared() {
        List<RepositoryPattern> ps = List.of(RepositoryPattern.parse("*/b"), RepositoryPattern.parse("a/*"), RepositoryPattern.parse("a/?"));
        assertEquals("*/b", RepositoryPattern.longestMatch(ps, p -> p, RepositoryName.parse("a/b")).orElseThrow().glob());
    }

    @Test
    void parse_invalidPatterns_refused() {
        for (String bad : List.of("", "A/b", "a:b", "a/***", "a b")) {
            assertThrows(IllegalArgumentException.class, () -> RepositoryPattern.parse(bad), bad);
        }
    }

    @Test
    void immutable_semverDefault_matchesReleaseTagsOnly() {
        ImmutableTagPolicy p = ImmutableTagPolicy.semverEverywhere();
        RepositoryName r = RepositoryName.parse("x/y");
        for (String t : List.of("1.2.3", "v1.2.3", "v1.2.3-rc.1", "0.0.0", "1.2.3-alpha.1_build.5", "10.20.30-x-y-z")) {
            assertTrue(p.protecting(r, Tag.parse(t)).isPresent(), t);
        }
        for (String t : List.of("latest", "1.2", "v1", "01.2.3", "1.2.3.4", "main", "1.2.3-", "sha256-" + "a".repeat(64) + ".sig",
                "sha256-" + "b".repeat(64) + ".att", "sha256-" + "c".repeat(64) + ".sbom")) {
            assertFalse(p.protecting(r, Tag.parse(t)).isPresent(), t);
        }
    }

    @Test
    void immutable_customRegexAndNone_mostSpecificRuleDecides() {
        ImmutableTagPolicy p = new ImmutableTagPolicy(List.of(
                ImmutableTagPolicy.Rule.of("**", "semver"),
                ImmutableTagPolicy.Rule.of("scratch/**", "none"),
                ImmutableTagPolicy.Rule.of("prod/**", "release-.*|sha256-.*")));
        assertFalse(p.protecting(RepositoryName.parse("scratch/a"), Tag.parse("1.0.0")).isPresent());
        assertTrue(p.protecting(RepositoryName.parse("prod/a"), Tag.parse("release-7")).isPresent());
        assertFalse(p.protecting(RepositoryName.parse("prod/a"), Tag.parse("1.0.0")).isPresent());
        assertFalse(p.protecting(RepositoryName.parse("prod/a"), Tag.parse("sha256-" + "a".repeat(64) + ".sig")).isPresent(),
                "sidecars stay mutable whatever a rule says");
        assertThrows(IllegalArgumentException.class, () -> ImmutableTagPolicy.Rule.of("**", "(unclosed"));
    }
}
