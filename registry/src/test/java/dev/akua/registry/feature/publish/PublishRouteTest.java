package dev.akua.registry.feature.publish;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishRouteTest {

    @Test
    void resolve_publish_greedyRepositoryName() {
        PublishRoute r = PublishRoute.resolve("/api/v1/repositories/acme/publish/charts/publish", "POST").orElseThrow();
        assertEquals(PublishRoute.Endpoint.PUBLISH, r.endpoint());
        assertEquals("acme/publish/charts", r.name());
    }

    @Test
    void resolve_packages_nameAndReference() {
        PublishRoute r = PublishRoute.resolve("/api/v1/repositories/akua/packages/hello/packages/0.3.0", "GET").orElseThrow();
        assertEquals(PublishRoute.Endpoint.PACKAGE, r.endpoint());
        assertEquals("akua/packages/hello", r.name());
        assertEquals("0.3.0", r.reference());
        assertTrue(PublishRoute.resolve("/api/v1/repositories/a/packages/sha256:abc", "HEAD").isPresent());
    }

    @Test
    void resolve_otherFeaturesPaths_empty() {
        assertEquals(Optional.empty(), PublishRoute.resolve("/api/v1/repositories/acme/hello/sign", "POST"));
        assertEquals(Optional.empty(), PublishRoute.resolve("/api/v1/repositories/acme/hello/signatures/1.0", "GET"));
    }

    @Test
    void resolve_wrongMethod_405WithAllow() {
        OciException e = assertThrows(OciException.class, () -> PublishRoute.resolve("/api/v1/repositories/a/publish", "GET"));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertEquals("POST", e.headers().get("Allow"));
    }
}
