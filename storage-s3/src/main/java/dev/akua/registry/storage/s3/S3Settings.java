package dev.akua.registry.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach the bucket and how to write to it.
 *
 * @param bucket            bucket name (S3 rules: 3–63 lower-case letters, digits, dots, hyphens)
 * @param prefix            key prefix every path is stored under ("" or ending in {@code /}), so one bucket can hold several registries
 * @param endpoint          endpoint override for S3-compatible servers (MinIO, Ceph RGW, s3proxy); empty for AWS
 * @param region            signing region
 * @param pathStyle         {@code http://host/bucket/key} instead of {@code http://bucket.host/key} (most S3-compatible servers)
 * @param accessKeyId       static credentials; empty means the SDK's default chain (environment, profile, instance role)
 * @param secretAccessKey   goes with {@code accessKeyId}
 * @param partSize          bytes buffered per multipart part while appending (at least 5 MiB, the S3 minimum)
 * @param maxAttempts       attempts per request, retries included (throttling, 5xx and I/O errors are retried)
 * @param retryBaseDelay    first backoff delay; it doubles per retry (with jitter) up to {@code retryMaxDelay}
 * @param retryMaxDelay     cap on one backoff delay
 * @param connectTimeout    TCP connect timeout
 * @param socketTimeout     read timeout on an open connection
 * @param redirect          answer blob GETs with a redirect to a presigned URL
 * @param redirectTtl       how long a presigned URL stays valid
 * @param redirectEndpoint  endpoint to presign for when clients reach the store under another address; empty = {@code endpoint}
 * @param checksumsWhenRequired send request checksums only when an operation requires them (older S3-compatible
 *                          servers reject the SDK's default trailing checksums)
 */
public record S3Settings(String bucket, String prefix, Optional<URI> endpoint, String region, boolean pathStyle,
                         Optional<String> accessKeyId, Optional<String> secretAccessKey, int partSize, int maxAttempts,
                         Duration retryBaseDelay, Duration retryMaxDelay, Duration connectTimeout, Duration socketTimeout,
                         boolean redirect, Duration redirectTtl, Optional<URI> redirectEndpoint,
                         boolean checksumsWhenRequired) {
    /** S3's smallest multipart part (except the last one of an upload). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    /** Parts are buffered in memory; a cap keeps a bad setting from exhausting the heap. */
    public static final int MAX_PART_SIZE = 512 * 1024 * 1024;
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9._-]*/)*");

    public S3Settings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(retryBaseDelay, "retryBaseDelay");
        Objects.requireNonNull(retryMaxDelay, "retryMaxDelay");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        Objects.requireNonNull(redirectTtl, "redirectTtl");
        Objects.requireNonNull(redirectEndpoint, "redirectEndpoint");
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("invalid S3 bucket name '" + bucket + "'");
        }
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("invalid S3 key prefix '" + prefix + "': path components of letters, digits, '.', '_', '-'");
        }
        if (region.isBlank()) {
            throw new IllegalArgumentException("S3 region must not be empty");
        }
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new IllegalArgumentException("S3 accessKeyId and secretAccessKey go together: set both or neither");
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be between " + MIN_PART_SIZE + " and " + MAX_PART_SIZE + " bytes");
        }
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("S3 maxAttempts must be between 1 and 20");
        }
        if (retryBaseDelay.isNegative() || retryMaxDelay.compareTo(retryBaseDelay) < 0) {
            throw new IllegalArgumentException("S3 retry delays must satisfy 0 <= base <= max");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || socketTimeout.isNegative() || socketTimeout.isZero()) {
            throw new IllegalArgumentException("S3 timeouts must be positive");
        }
        if (redirectTtl.compareTo(Duration.ofSeconds(1)) < 0 || redirectTtl.compareTo(Duration.ofDays(7)) > 0) {
            // SigV4 presigned URLs are valid for at most 7 days
            throw new IllegalArgumentException("S3 redirect TTL must be between 1 second and 7 days");
        }
        for (Optional<URI> uri : java.util.List.of(endpoint, redirectEndpoint)) {
            uri.ifPresent(u -> {
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                    throw new IllegalArgumentException("S3 endpoint must be an absolute http(s) URL, not " + u);
                }
            });
        }
    }

    public static Builder builder(String bucket) {
        return new Builder(bucket);
    }

    /** Defaults: AWS endpoint, us-east-1, virtual-host style, default credential chain, 8 MiB parts, 4 attempts. */
    public static final class Builder {
        private final String bucket;
        private String prefix = "";
        private URI endpoint;
        private String region = "us-east-1";
        private boolean pathStyle;
        private String accessKeyId;
        private String secretAccessKey;
        private int partSize = DEFAULT_PART_SIZE;
        private int maxAttempts = 4;
        private Duration retryBaseDelay = Duration.ofMillis(100);
        private Duration retryMaxDelay = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration socketTimeout = Duration.ofSeconds(60);
        private boolean redirect;
        private Duration redirectTtl = Duration.ofMinutes(20);
        private URI redirectEndpoint;
        private boolean checksumsWhenRequired;

        private Builder(String bucket) {
            this.bucket = bucket;
        }

        public Builder prefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        public Builder credentials(String accessKeyId, String secretAccessKey) {
            this.accessKeyId = accessKeyId;
            this.secretAccessKey = secretAccessKey;
            return this;
        }

        public Builder partSize(int partSize) {
            this.partSize = partSize;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder retryDelays(Duration base, Duration max) {
            this.retryBaseDelay = base;
            this.retryMaxDelay = max;
            return this;
        }

        public Builder timeouts(Duration connect, Duration socket) {
            this.connectTimeout = connect;
            this.socketTimeout = socket;
            return this;
        }

        public Builder redirect(boolean redirect, Duration ttl) {
            this.redirect = redirect;
            this.redirectTtl = ttl;
            return this;
        }

        public Builder redirectEndpoint(URI redirectEndpoint) {
            this.redirectEndpoint = redirectEndpoint;
            return this;
        }

        public Builder checksumsWhenRequired(boolean checksumsWhenRequired) {
            this.checksumsWhenRequired = checksumsWhenRequired;
            return this;
        }

        public S3Settings build() {
            return new S3Settings(bucket, prefix, Optional.ofNullable(endpoint), region, pathStyle,
                    Optional.ofNullable(accessKeyId).filter(s -> !s.isEmpty()),
                    Optional.ofNullable(secretAccessKey).filter(s -> !s.isEmpty()), partSize, maxAttempts,
                    retryBaseDelay, retryMaxDelay, connectTimeout, socketTimeout, redirect, redirectTtl,
                    Optional.ofNullable(redirectEndpoint), checksumsWhenRequired);
        }
    }

    @Override
    public String toString() {
        // never print the secret
        return "S3Settings[bucket=" + bucket + ", prefix=" + prefix + ", endpoint=" + endpoint.map(URI::toString).orElse("aws")
                + ", region=" + region + ", pathStyle=" + pathStyle + ", partSize=" + partSize + ", redirect=" + redirect + "]";
    }
}
