package dev.akua.registry.http;

import dev.akua.registry.http.V2Route.Endpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Repository names contain '/', so the name is the greedy prefix; these cases pin that down. */
class V2RouteTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "/v2/                                              | BASE         | -                       | -",
            "/v2                                               | BASE         | -                       | -",
            "/v2/_catalog                                      | CATALOG      | -                       | -",
            "/v2/a/tags/list                                   | TAGS         | a                       | -",
            "/v2/acme/charts/app/manifests/1.0.0               | MANIFEST     | acme/charts/app         | 1.0.0",
            "/v2/a/manifests/sha256:abc                        | MANIFEST     | a                       | sha256:abc",
            "/v2/a/manifests/manifests/latest                  | MANIFEST     | a/manifests             | latest",
            "/v2/a/b/blobs/uploads/                            | UPLOAD_START | a/b                     | -",
            "/v2/a/b/blobs/uploads                             | UPLOAD_START | a/b                     | -",
            "/v2/a/b/blobs/uploads/0f3c                        | UPLOAD       | a/b                     | 0f3c",
            "/v2/a/blobs/uploads/blobs/sha256:1                | BLOB         | a/blobs/uploads         | sha256:1",
            "/v2/x/blobs/blobs/uploads/id                      | UPLOAD       | x/blobs                 | id",
            "/v2/a/b/blobs/sha256:1                            | BLOB         | a/b                     | sha256:1",
            "/v2/a/referrers/sha256:1                          | REFERRERS    | a                       | sha256:1",
            "/v2/tags/list/tags/list                           | TAGS         | tags/list               | -",
    })
    void match_greedyName(String path, Endpoint endpoint, String name, String reference) {
        V2Route route = V2Route.match(path).orElseThrow();
        assertEquals(endpoint, route.endpoint());
        assertEquals(name, route.name());
        assertEquals(reference, route.reference());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/a", "/v2/a/manifests", "/v2/a/manifests/", "/v2/a/blobs", "/v3/a/tags/list", "/v2/a/unknown/x"})
    void match_unknownShapes_isEmpty(String path) {
        assertTrue(V2Route.match(path).isEmpty(), path);
    }
}
