package dev.akua.registry.publisher;

import com.marcnuri.helm.Helm;
import dev.akua.registry.oci.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart built for rendered manifests, rendered by a real Helm (helm-java, Helm v3.21): each
 * template must come out as exactly its manifest, including text that looks like template code.
 */
class HelmRenderTest {

    /** Manifests chosen to trip a naive escape: every delimiter form Go's text/template knows. */
    static final Map<String, String> TRICKY = new LinkedHashMap<>();

    static {
        TRICKY.put("000-configmap-literal.yaml", Fixtures.CONFIGMAP);
        TRICKY.put("001-configmap-delimiters.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: delimiters
                data:
                  trim: "{{- .Values.a -}}"
                  comment: "{{/* not a comment */}}"
                  nested: "{{{{ raw }}}}"
                  closers: "}} }}} }"
                  pipeline: '{{ printf "%s" "x" | quote }}'
                  define: '{{ define "t" }}x{{ end }}{{ template "t" }}'
                  dollar: "{{ $ }}"
                  endsWithOpen: "{{"
                """);
        TRICKY.put("002-configmap-crlf.yaml", "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: crlf\r\ndata:\r\n  a: \"{{ x }}\"\r\n");
        TRICKY.put("003-secret-unicode.yaml", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: unicode
                  annotations:
                    note: "héllo wörld ✓ {{ .Release.Name }}"
                stringData:
                  block: |
                    line one {{
                    }} line two
                """);
    }

    @Test
    void helmTemplate_publishedChart_reproducesEveryManifestExactly(@TempDir Path dir) throws Exception {
        Tars tars = Tars.tar();
        TRICKY.forEach(tars::file);
        Publication p = new Publisher(PublishLimits.defaults()).publish(Fixtures.request(Shape.HELM_CHART),
                new ByteArrayInputStream(tars.tgz()));
        byte[] chart = p.blobs().stream().filter(b -> b.mediaType().equals(MediaTypes.HELM_CHART_CONTENT)).findFirst()
                .orElseThrow().content();
        Path tgz = dir.resolve("hello.tgz");
        Files.write(tgz, chart);

        String out = new Helm(tgz).template().withName("rel").call();

        Map<String, String> rendered = HelmOutput.documentsBySource(out);
        assertEquals(TRICKY.size(), rendered.size(), out);
        for (Map.Entry<String, String> m : TRICKY.entrySet()) {
            String doc = rendered.get("hello/templates/" + m.getKey());
            assertEquals(HelmOutput.asHelmPrintsIt(m.getValue()), doc, m.getKey());
        }
        assertTrue(rendered.get("hello/templates/000-configmap-literal.yaml").contains("greeting: \"{{ .Values.x }}\""));
    }

    @Test
    void helmLint_publishedChart_passes(@TempDir Path dir) throws Exception {
        Publication p = new Publisher(PublishLimits.defaults()).publish(Fixtures.request(Shape.HELM_CHART),
                new ByteArrayInputStream(Fixtures.render().tgz()));
        byte[] chart = p.blobs().stream().filter(b -> b.mediaType().equals(MediaTypes.HELM_CHART_CONTENT)).findFirst()
                .orElseThrow().content();
        Path tgz = dir.resolve("hello.tgz");
        Files.write(tgz, chart);
        var lint = new Helm(tgz).lint().strict().call();
        assertTrue(!lint.isFailed(), String.join("\n", lint.getMessages()));
    }
}
