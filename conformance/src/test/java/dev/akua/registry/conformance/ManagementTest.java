package dev.akua.registry.conformance;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.akua.registry.conformance.Oci.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** distribution-spec "Content Management": deleting tags, manifests and blobs; deletion disabled. */
class ManagementTest {
    @TempDir
    Path root;

    @Test
    void deleteTag_is202_manifestRemainsByDigest() {
        try (TestRegistry registry = TestRegistry.start(root)) {
            Http http = new Http(registry.base());
            Oci oci = new Oci(http);
            Digest d = oci.pushImage("repo", "t1", "x", "");
            assertEquals(202, http.delete("/v2/repo/manifests/t1").status());
            http.get("/v2/repo/manifests/t1").assertError(404, "MANIFEST_UNKNOWN");
            assertEquals(200, http.get("/v2/repo/manifests/" + d).status());
            http.delete("/v2/repo/manifests/t1").assertError(404, "MANIFEST_UNKNOWN");
        }
    }

    @Test
    void deleteManifest_is202_andEveryTagOnItIsGone() {
        try (TestRegistry registry = TestRegistry.start(root)) {
            Http http = new Http(registry.base());
            Oci oci = new Oci(http);
            Digest d = oci.pushImage("repo", "a", "y", "");
            byte[] m = http.get("/v2/repo/manifests/a").body();
            oci.putManifest("repo", "b", m, MediaTypes.OCI_MANIFEST);
            assertEquals(202, http.delete("/v2/repo/manifests/" + d).status());
            http.get("/v2/repo/manifests/" + d).assertError(404, "MANIFEST_UNKNOWN");
            assertEquals(404, http.head("/v2/repo/manifests/a").status());
            assertEquals(404, http.head("/v2/repo/manifests/b").status());
            http.delete("/v2/repo/manifests/" + d).assertError(404, "MANIFEST_UNKNOWN");
            http.delete("/v2/nothing/here/manifests/" + d).assertError(404, "NAME_UNKNOWN");
        }
    }

    @Test
    void deleteReferrer_removesItFromReferrersList() {
        try (TestRegistry registry = TestRegistry.start(root)) {
            Http http = new Http(registry.base());
            Oci oci = new Oci(http);
            Digest subject = oci.pushImage("repo", "s", "s", "");
            Digest ref = oci.pushImage("repo", "r", "r", ",\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                    + "\",\"size\":1,\"digest\":\"" + subject + "\"}");
            assertEquals(1, http.get("/v2/repo/referrers/" + subject).json().get("manifests").size());
            assertEquals(202, http.delete("/v2/repo/manifests/" + ref).status());
            assertEquals(0, http.get("/v2/repo/referrers/" + subject).json().get("manifests").size());
        }
    }

    @Test
    void deleteBlob_is202ThenUnknown() {
        try (TestRegistry registry = TestRegistry.start(root)) {
            Http http = new Http(registry.base());
            Digest d = new Oci(http).pushBlob("repo", utf8("delete me"));
            assertEquals(202, http.delete("/v2/repo/blobs/" + d).status());
            http.get("/v2/repo/blobs/" + d).assertError(404, "BLOB_UNKNOWN");
            assertEquals(404, http.head("/v2/repo/blobs/" + d).status());
            http.delete("/v2/repo/blobs/" + d).assertError(404, "BLOB_UNKNOWN");
        }
    }

    @Test
    void deletionDisabled_is405UnsupportedForAllThree() {
        try (TestRegistry registry = TestRegistry.start(root, Map.of("AKUA_REGISTRY_STORAGE_DELETE_ENABLED", "false"))) {
            Http http = new Http(registry.base());
            Oci oci = new Oci(http);
            Digest m = oci.pushImage("repo", "keep", "z", "");
            Digest b = oci.pushBlob("repo", utf8("keep me"));
            http.delete("/v2/repo/manifests/keep").assertError(405, "UNSUPPORTED");
            http.delete("/v2/repo/manifests/" + m).assertError(405, "UNSUPPORTED");
            http.delete("/v2/repo/blobs/" + b).assertError(405, "UNSUPPORTED");
            assertEquals(200, http.head("/v2/repo/manifests/keep").status());
            assertEquals(200, http.head("/v2/repo/blobs/" + b).status());
        }
    }
}
