package dev.akua.registry.publisher;

import dev.akua.registry.oci.Digest;

import java.time.Instant;

/** Manifests and requests shared by the publisher tests. */
final class Fixtures {
    static final Digest SOURCE = Digest.sha256("akua package".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    static final String CONFIGMAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: hello
              labels:
                app: hello
            data:
              greeting: "{{ .Values.x }}"
              template: |
                {{- if .Values.enabled }}on{{ end }}
                }} stray closers {{{ triple
            """;
    static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: hello
              namespace: web
            spec:
              ports:
                - port: 80
            """;
    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: hello
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: hello
              template:
                metadata:
                  labels:
                    app: hello
                spec:
                  containers:
                    - name: app
                      image: nginx:1.27
            """;

    private Fixtures() {
    }

    static Tars render() {
        return Tars.tar()
                .file("000-configmap-hello.yaml", CONFIGMAP)
                .file("001-service-hello.yaml", SERVICE)
                .file("002-deployment-hello.yaml", DEPLOYMENT);
    }

    static PublishRequest request(Shape shape) {
        return new PublishRequest(shape, "hello", "1.2.3+build.7", "Hello <world> & more", "oci://reg.example/acme/hello-src:1.2.3",
                SOURCE, Instant.parse("2026-01-02T03:04:05Z"));
    }
}
