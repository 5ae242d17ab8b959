package dev.akua.registry.signing;

import dev.akua.registry.oci.RepositoryName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RepositoryPatternTest {
    @ParameterizedTest
    @CsvSource({
            "acme/app, acme/app, true",
            "acme/app, acme/app2, false",
            "acme/*, acme/app, true",
            "acme/*, acme/team/app, false",
            "acme/*, acme, false",
            "acme/**, acme, true",
            "acme/**, acme/app, true",
            "acme/**, acme/team/app, true",
            "acme/**, acmeco/app, false",
            "**, anything/at/all, true",
            "**/app, acme/team/app, true",
            "**/app, app, true",
            "**/app, acme/apps, false",
            "acme/**/charts, acme/charts, true",
            "acme/**/charts, acme/x/y/charts, true",
            "acme/**/charts, acme/x/y/chart, false",
            "acme/app-*, acme/app-web, true",
            "acme/app-*, acme/app-web/x, false",
            "acme/app.v1, acme/appxv1, false",
    })
    void matches_table(String pattern, String repo, boolean expected) {
        assertEquals(expected, RepositoryPattern.parse(pattern).matches(RepositoryName.parse(repo)), pattern + " vs " + repo);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/acme", "acme/", "Acme/app", "acme//app", "acme/[a-z]"})
    void parse_invalidPattern_isRefused(String pattern) {
        assertThrows(IllegalArgumentException.class, () -> RepositoryPattern.parse(pattern));
    }
}
