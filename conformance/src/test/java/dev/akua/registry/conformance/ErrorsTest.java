package dev.akua.registry.conformance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpRequest;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Table of bad requests: each answers the spec's error envelope with the right code and status,
 * and names and references are refused before they reach storage.
 */
class ErrorsTest {
    @TempDir
    static Path root;
    static TestRegistry registry;
    static Http http;
    static final String D = "sha256:" + "a".repeat(64);

    @BeforeAll
    static void start() {
        registry = TestRegistry.start(root);
        http = new Http(registry.base());
        new Oci(http).pushImage("ok/repo", "v1", "e", "");
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @ParameterizedTest(name = "{0} {1} → {2} {3}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /v2/UPPER/manifests/v1                         | 400 | NAME_INVALID",
            "GET    | /v2/a..b/manifests/v1                          | 400 | NAME_INVALID",
            "GET    | /v2/-a/tags/list                               | 400 | NAME_INVALID",
            "PUT    | /v2/a%20b/manifests/v1                         | 400 | NAME_INVALID",
            "POST   | /v2/_x/blobs/uploads/                          | 400 | NAME_INVALID",
            "GET    | /v2/ok/repo/manifests/.bad                     | 400 | MANIFEST_INVALID",
            "PUT    | /v2/ok/repo/manifests/-bad                     | 400 | MANIFEST_INVALID",
            "GET    | /v2/ok/repo/manifests/sha256:123               | 400 | DIGEST_INVALID",
            "GET    | /v2/ok/repo/blobs/sha256:xyz                   | 400 | DIGEST_INVALID",
            "GET    | /v2/ok/repo/blobs/latest                       | 400 | DIGEST_INVALID",
            "GET    | /v2/ok/repo/blobs/md5:d41d8cd98f00b204e9800998ecf8427e | 400 | DIGEST_INVALID",
            "HEAD   | /v2/ok/repo/blobs/sha256:zz                    | 400 | ",
            "POST   | /v2/ok/repo/blobs/uploads/?mount=sha256:zz&from=ok/repo | 400 | DIGEST_INVALID",
            "POST   | /v2/ok/repo/blobs/uploads/?mount=" + "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "&from=BAD | 400 | NAME_INVALID",
            "POST   | /v2/ok/repo/manifests/v1                       | 405 | UNSUPPORTED",
            "PATCH  | /v2/ok/repo/blobs/" + "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + " | 405 | UNSUPPORTED",
            "DELETE | /v2/                                           | 405 | UNSUPPORTED",
            "GET    | /v2/ok/repo/nonsense                           | 404 | UNSUPPORTED",
            "GET    | /v2/ok/repo/manifests/missing                  | 404 | MANIFEST_UNKNOWN",
            "GET    | /v2/ok/repo/blobs/" + "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + " | 404 | BLOB_UNKNOWN",
            "GET    | /v2/ok/repo/tags/list?n=x                      | 400 | UNSUPPORTED",
            "GET    | /v2/ok/repo/blobs/uploads/00000000-0000-4000-8000-000000000000 | 404 | BLOB_UPLOAD_UNKNOWN",
            "PUT    | /v2/ok/repo/blobs/uploads/00000000-0000-4000-8000-000000000000?digest=" + "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + " | 404 | BLOB_UPLOAD_UNKNOWN",
            "PATCH  | /v2/ok/repo/blobs/uploads/00000000-0000-4000-8000-000000000000 | 404 | BLOB_UPLOAD_UNKNOWN",
    })
    void badRequest_answersEnvelope(String method, String path, int status, String code) {
        HttpRequest.Builder b = http.request(path);
        b = switch (method) {
            case "GET" -> b.GET();
            case "DELETE" -> b.DELETE();
            default -> b.method(method, HttpRequest.BodyPublishers.ofString(method.equals("PUT") ? "{}" : ""));
        };
        Http.Resp r = http.send(b);
        if (code == null) {
            assertEquals(status, r.status());
            assertEquals(0, r.body().length, "HEAD has no body");
            return;
        }
        r.assertError(status, code);
        if (status == 405) {
            assertTrue(r.header("Allow").isPresent(), "405 names the allowed methods");
        }
    }
}
