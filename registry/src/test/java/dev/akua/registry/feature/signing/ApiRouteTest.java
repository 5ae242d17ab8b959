package dev.akua.registry.feature.signing;

import dev.akua.registry.oci.error.OciException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Repository names contain {@code /}: the name is the greedy prefix, the endpoint is read from the right, the method decides. */
class ApiRouteTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            GET  | /api/v1/repositories/a/signatures/sha256:ab           | SIGNATURES | a                         | sha256:ab
            HEAD | /api/v1/repositories/acme/team/app/signatures/1.0     | SIGNATURES | acme/team/app             | 1.0
            GET  | /api/v1/repositories/a/sign/signatures/sha256:ab      | SIGNATURES | a/sign                    | sha256:ab
            GET  | /api/v1/repositories/a/signatures/x/signatures/v1     | SIGNATURES | a/signatures/x            | v1
            GET  | /api/v1/repositories/a/signatures/sign                | SIGNATURES | a                         | sign
            POST | /api/v1/repositories/a/signatures/sign                | SIGN       | a/signatures              |
            POST | /api/v1/repositories/acme/team/app/sign               | SIGN       | acme/team/app             |
            POST | /api/v1/repositories/a/sign/sign                      | SIGN       | a/sign                    |
            POST | /api/v1/repositories/a/signatures/v1/sign             | SIGN       | a/signatures/v1           |
            """)
    void resolve_greedyNameAndMethod_picksTheEndpoint(String method, String path, ApiRoute.Endpoint endpoint, String name, String reference) {
        ApiRoute route = ApiRoute.resolve(path, method).orElseThrow();

        assertEquals(endpoint, route.endpoint());
        assertEquals(name, route.name());
        assertEquals(reference, route.reference());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            GET  | /api/v1/repositories/a/lock
            POST | /api/v1/repositories/a/publish
            GET  | /api/v1/repositories/a/signatures/
            GET  | /api/v1/repositories/signatures/sha256:ab
            POST | /api/v1/repositories/sign
            GET  | /api/v1/repositories/a/signatures/x/y
            """)
    void resolve_pathsThatAreNotOurs_areLeftToOtherRoutes(String method, String path) {
        assertEquals(Optional.empty(), ApiRoute.resolve(path, method));
    }

    @Test
    void resolve_ourPathWithAnotherMethod_is405WithAllow() {
        OciException get = assertThrows(OciException.class, () -> ApiRoute.resolve("/api/v1/repositories/a/sign", "GET"));
        OciException put = assertThrows(OciException.class, () -> ApiRoute.resolve("/api/v1/repositories/a/signatures/v1", "PUT"));
        OciException both = assertThrows(OciException.class, () -> ApiRoute.resolve("/api/v1/repositories/a/signatures/sign", "DELETE"));

        assertEquals(405, get.status());
        assertEquals("POST", get.headers().get("Allow"));
        assertEquals("GET, HEAD", put.headers().get("Allow"));
        assertTrue(both.headers().get("Allow").contains("POST") && both.headers().get("Allow").contains("GET"));
    }
}
