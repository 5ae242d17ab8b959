package dev.akua.registry.storage.s3;

import dev.akua.registry.storage.driver.AbandonedWrites;
import dev.akua.registry.storage.driver.ChunkSizeHint;
import dev.akua.registry.storage.driver.FileInfo;
import dev.akua.registry.storage.driver.FileWriter;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.ReadRedirects;
import dev.akua.registry.storage.driver.StorageDriver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link StorageDriver} over one S3 bucket (AWS or an S3-compatible server), on the AWS SDK v2
 * with the JDK's HTTP client.
 *
 * <p>How the driver contract maps onto S3 (the layout of keys is described in {@link Keys}):
 * <ul>
 *   <li>{@code putContent}, {@code getContent}, {@code stat}, {@code delete}: single objects; a
 *       PUT replaces an object atomically and S3 is strongly consistent (read-after-write, listings
 *       included), so every replica sees a write as soon as it returns.</li>
 *   <li>Appending writers: S3 objects cannot be appended to, and the parts of an unfinished
 *       multipart upload cannot be read. An appended object is therefore a run of segments, one
 *       per {@link FileWriter#commit()}: each segment is written with a single PUT or, once more
 *       than a part has been buffered, as a multipart upload of {@code partSize} parts. A commit
 *       makes the segment visible to every replica, so the next chunk of an upload can land on any
 *       of them, and the upload store can re-read the bytes to rebuild its hash. No copying
 *       happens while appending, whatever the number of chunks.</li>
 *   <li>{@code move} is a server-side copy: a whole object with CopyObject (multipart copy above
 *       5 GiB), an appended object by assembling its segments into one multipart upload with
 *       UploadPartCopy. Segments of at least 5 MiB (the part minimum, advertised to clients as
 *       {@code OCI-Chunk-Min-Length} through {@link ChunkSizeHint}) are copied without passing
 *       through this process; smaller ones are merged in a bounded buffer. The destination
 *       appears atomically when the upload completes; then the source is deleted.</li>
 *   <li>An unfinished multipart upload whose process died is invisible garbage;
 *       {@link #discardAbandonedWrites} aborts them (the upload purge calls it).</li>
 *   <li>Throttling (503 SlowDown, 429), 5xx and I/O errors are retried with exponential backoff
 *       and jitter, a bounded number of times (the SDK's standard retry strategy); what still
 *       fails surfaces as an {@link IOException}, which the stores turn into 503 UNAVAILABLE.</li>
 * </ul>
 */
public final class S3Driver implements StorageDriver, ReadRedirects, ChunkSizeHint, AbandonedWrites, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(S3Driver.class.getName());
    /** S3's largest single copy (CopyObject, one UploadPartCopy). */
    static final long MAX_COPY = 5L * 1024 * 1024 * 1024;
    private static final int DELETE_BATCH = 1000;

    private final S3Settings settings;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final Keys keys;
    private final String bucket;
    private final long maxCopy;

    private S3Driver(S3Settings settings, S3Client s3, S3Presigner presigner, long maxCopy) {
        this.settings = settings;
        this.s3 = s3;
        this.presigner = presigner;
        this.keys = new Keys(settings.prefix());
        this.bucket = settings.bucket();
        this.maxCopy = maxCopy;
    }

    /** A driver for the configured bucket; the bucket must exist. */
    public static S3Driver create(S3Settings settings) {
        return create(settings, MAX_COPY);
    }

    /** As {@link #create(S3Settings)} with a smaller copy limit, so tests can exercise multipart copies. */
    static S3Driver create(S3Settings settings, long maxCopy) {
        AwsCredentialsProvider credentials = settings.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId().get(),
                settings.secretAccessKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        var retry = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(settings.maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(settings.retryBaseDelay(), settings.retryMaxDelay()))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                        settings.retryBaseDelay().multipliedBy(2), settings.retryMaxDelay()))
                .build();
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.socketTimeout())
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(retry))
                .requestChecksumCalculation(settings.checksumsWhenRequired()
                        ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(settings.checksumsWhenRequired()
                        ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED);
        settings.endpoint().ifPresent(builder::endpointOverride);
        S3Presigner presigner = null;
        if (settings.redirect()) {
            var p = S3Presigner.builder()
                    .region(Region.of(settings.region()))
                    .credentialsProvider(credentials)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
            settings.redirectEndpoint().or(settings::endpoint).ifPresent(p::endpointOverride);
            presigner = p.build();
        }
        return new S3Driver(settings, builder.build(), presigner, maxCopy);
    }

    public S3Settings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "s3";
    }

    // --- whole objects -------------------------------------------------------------------------

    @Override
    public byte[] getContent(String path) throws IOException {
        String key = keys.key(path);
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            Described d = describe(key);
            if (d.segments().isEmpty()) {
                throw new PathNotFoundException(path);
            }
            try (InputStream in = new SegmentedInputStream(this, d.segments(), 0)) {
                return in.readAllBytes();
            }
        } catch (SdkException e) {
            throw failure("reading", key, e);
        }
    }

    @Override
    public void putContent(String path, byte[] content) throws IOException {
        String key = keys.key(path);
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/octet-stream"), RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw failure("writing", key, e);
        }
        // Segments of an appended object at this path, if any, are now shadowed by the whole object (Keys).
    }

    @Override
    public InputStream reader(String path, long offset) throws IOException {
        if (offset < 0) {
            throw new IOException("negative offset " + offset);
        }
        String key = keys.key(path);
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> {
                b.bucket(bucket).key(key);
                if (offset > 0) {
                    b.range("bytes=" + offset + "-");
                }
            });
            return new AbortOnCloseStream(in);
        } catch (NoSuchKeyException e) {
            Described d = describe(key);
            if (d.segments().isEmpty()) {
                throw new PathNotFoundException(path);
            }
            long size = d.size();
            if (offset > size) {
                throw new IOException("offset " + offset + " outside object " + path + " of size " + size);
            }
            return new SegmentedInputStream(this, d.segments(), offset);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                // A range starting at or after the end: fine exactly at the end (an empty tail).
                long size = stat(path).size();
                if (offset == size) {
                    return InputStream.nullInputStream();
                }
                throw new IOException("offset " + offset + " outside object " + path + " of size " + size, e);
            }
            throw failure("reading", key, e);
        } catch (SdkException e) {
            throw failure("reading", key, e);
        }
    }

    /** A ranged read of one whole S3 object (segments, assembly). */
    InputStream openRange(String key, long from, long toInclusive) throws IOException {
        try {
            return new AbortOnCloseStream(s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=" + from + "-" + toInclusive)));
        } catch (SdkException e) {
            throw failure("reading", key, e);
        }
    }

    @Override
    public FileInfo stat(String path) throws IOException {
        String key = keys.key(path);
        if (path.equals("/")) {
            if (anyKeyUnder(keys.prefix())) {
                return new FileInfo(path, 0, Instant.EPOCH, true);
            }
            throw new PathNotFoundException(path);
        }
        Optional<HeadObjectResponse> head = head(key);
        if (head.isPresent()) {
            return new FileInfo(path, head.get().contentLength(), head.get().lastModified(), false);
        }
        Described d = describe(key);
        if (d.whole() || !d.segments().isEmpty()) {
            return new FileInfo(path, d.size(), d.modifiedAt(), false);
        }
        if (d.directory().isPresent() ? d.directory().get() : anyKeyUnder(key + "/")) {
            return new FileInfo(path, 0, Instant.EPOCH, true);
        }
        throw new PathNotFoundException(path);
    }

    @Override
    public List<String> list(String path) throws IOException {
        String dir = keys.dirPrefix(path);
        TreeSet<String> children = new TreeSet<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(dir).delimiter("/"))) {
                for (S3Object o : page.contents()) {
                    addChild(children, path, o.key().substring(dir.length()));
                }
                for (var cp : page.commonPrefixes()) {
                    String name = cp.prefix().substring(dir.length(), cp.prefix().length() - 1);
                    int seg = name.indexOf(Keys.SEGMENTS.substring(0, Keys.SEGMENTS.length() - 1));
                    addChild(children, path, seg < 0 ? name : name.substring(0, seg));
                }
            }
        } catch (SdkException e) {
            throw failure("listing", dir, e);
        }
        if (children.isEmpty()) {
            throw new PathNotFoundException(path);
        }
        return new ArrayList<>(children);
    }

    private static void addChild(TreeSet<String> children, String dir, String name) {
        String child = dir.equals("/") ? "/" + name : dir + "/" + name;
        try {
            children.add(dev.akua.registry.storage.driver.StoragePath.check(child));
        } catch (IllegalArgumentException e) {
            // a foreign object in the bucket whose name is no valid path: not ours
        }
    }

    @Override
    public void walk(String path, Consumer<FileInfo> visitor) throws IOException {
        String dir = keys.dirPrefix(path);
        List<FileInfo> found = new ArrayList<>();
        String current = null;
        long size = 0;
        Instant modified = Instant.EPOCH;
        boolean whole = false;
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(dir))) {
                for (S3Object o : page.contents()) {
                    String owner = Keys.owner(o.key());
                    boolean segment = !owner.equals(o.key());
                    if (!owner.equals(current)) {
                        emit(found, current, size, modified);
                        current = owner;
                        size = 0;
                        modified = Instant.EPOCH;
                        whole = false;
                    }
                    if (!segment) {
                        whole = true;
                        size = o.size();
                        modified = o.lastModified();
                    } else if (!whole) {
                        size += o.size();
                        modified = modified.isAfter(o.lastModified()) ? modified : o.lastModified();
                    }
                }
            }
        } catch (SdkException e) {
            throw failure("listing", dir, e);
        }
        emit(found, current, size, modified);
        found.forEach(visitor);
    }

    private void emit(List<FileInfo> found, String key, long size, Instant modified) {
        if (key == null) {
            return;
        }
        String p = keys.path(key);
        if (p != null) {
            found.add(new FileInfo(p, size, modified, false));
        }
    }

    @Override
    public void move(String sourcePath, String destPath) throws IOException {
        String source = keys.key(sourcePath);
        String dest = keys.key(destPath);
        // one listing tells whole object or segments (moves are mostly of uploads, which are segments)
        Described d = describe(source);
        if (d.whole()) {
            copy(source, d.wholeSize(), dest);
            deleteKeys(List.of(source));
            return;
        }
        if (d.segments().isEmpty()) {
            throw new PathNotFoundException(sourcePath);
        }
        assemble(dest, d.segments());
        deleteKeys(d.segments().stream().map(Segment::key).toList());
    }

    @Override
    public void delete(String path) throws IOException {
        List<String> doomed = new ArrayList<>();
        if (path.equals("/")) {
            collectKeys(keys.prefix(), doomed);
        } else {
            // One listing with the key as prefix holds the object, its segments and everything below
            // key/ (siblings such as key-x are skipped).
            String key = keys.key(path);
            String segments = Keys.segmentPrefix(key);
            String below = key + "/";
            try {
                for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(key))) {
                    for (S3Object o : page.contents()) {
                        if (o.key().equals(key) || o.key().startsWith(segments) || o.key().startsWith(below)) {
                            doomed.add(o.key());
                        }
                    }
                }
            } catch (SdkException e) {
                throw failure("listing", key, e);
            }
        }
        if (doomed.isEmpty()) {
            throw new PathNotFoundException(path);
        }
        deleteKeys(doomed);
    }

    // --- appending -----------------------------------------------------------------------------

    @Override
    public FileWriter writer(String path, boolean append) throws IOException {
        String key = keys.key(path);
        Described d = describe(key);
        if (!append) {
            List<String> old = new ArrayList<>();
            if (d.whole()) {
                old.add(key);
            }
            d.segments().forEach(s -> old.add(s.key()));
            deleteKeys(old);
            return new SegmentWriter(this, path, key, 0, 0, false);
        }
        if (d.whole()) {
            // Appending to a whole object: it becomes the first segment (shadowed segments go first).
            deleteKeys(d.segments().stream().map(Segment::key).toList());
            String first = keys.newSegmentKey(key, 0);
            copy(key, d.wholeSize(), first);
            deleteKeys(List.of(key));
            return new SegmentWriter(this, path, key, d.wholeSize(), 1, true);
        }
        long next = d.segments().isEmpty() ? 0 : d.segments().getLast().index() + 1;
        return new SegmentWriter(this, path, key, d.size(), next, !d.segments().isEmpty());
    }

    S3Client client() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    Keys keys() {
        return keys;
    }

    int partSize() {
        return settings.partSize();
    }

    // --- capabilities --------------------------------------------------------------------------

    @Override
    public Optional<URI> redirectFor(String path) {
        if (presigner == null) {
            return Optional.empty();
        }
        String key = keys.key(path);
        try {
            return Optional.of(presigner.presignGetObject(b -> b.signatureDuration(settings.redirectTtl())
                    .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toURI());
        } catch (SdkException | java.net.URISyntaxException e) {
            LOG.log(Level.WARNING, "presigning " + key + " failed; serving it directly", e);
            return Optional.empty();
        }
    }

    @Override
    public long minimumChunkBytes() {
        return S3Settings.MIN_PART_SIZE;
    }

    @Override
    public int discardAbandonedWrites(Instant startedBefore) throws IOException {
        int aborted = 0;
        try {
            String keyMarker = null;
            String uploadMarker = null;
            while (true) {
                String km = keyMarker;
                String um = uploadMarker;
                ListMultipartUploadsResponse page = s3.listMultipartUploads(b -> {
                    b.bucket(bucket).prefix(keys.prefix());
                    if (km != null) {
                        b.keyMarker(km).uploadIdMarker(um);
                    }
                });
                for (MultipartUpload u : page.uploads()) {
                    if (u.initiated() != null && u.initiated().isBefore(startedBefore)) {
                        s3.abortMultipartUpload(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
                        aborted++;
                    }
                }
                if (!Boolean.TRUE.equals(page.isTruncated())) {
                    return aborted;
                }
                keyMarker = page.nextKeyMarker();
                uploadMarker = page.nextUploadIdMarker();
            }
        } catch (SdkException e) {
            throw failure("discarding abandoned multipart uploads under", keys.prefix(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
        if (presigner != null) {
            presigner.close();
        }
    }

    // --- internals -----------------------------------------------------------------------------

    /** One committed piece of an appended object. */
    record Segment(String key, long index, long size, Instant modifiedAt) {
    }

    /**
     * What a key holds: a whole object, segments (in order), or neither; and whether keys below
     * {@code key/} exist, when the same listing could tell (empty when it could not).
     */
    record Described(boolean whole, long wholeSize, Instant wholeModifiedAt, List<Segment> segments,
                     Optional<Boolean> directory) {
        long size() {
            return whole ? wholeSize : segments.stream().mapToLong(Segment::size).sum();
        }

        Instant modifiedAt() {
            return whole ? wholeModifiedAt : segments.stream().map(Segment::modifiedAt).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        }
    }

    /**
     * Lists the key, then its segments: they sort first among keys starting with {@code key}
     * (see {@link Keys}), so the scan stops at the first key that is neither. That key, or the end
     * of the listing, usually also tells whether {@code key/} is a directory.
     */
    Described describe(String key) throws IOException {
        boolean whole = false;
        long wholeSize = 0;
        Instant wholeModified = Instant.EPOCH;
        List<Segment> segments = new ArrayList<>();
        Optional<Boolean> directory = Optional.empty();
        String segPrefix = Keys.segmentPrefix(key);
        String dirPrefix = key + "/";
        try {
            String token = null;
            scan:
            while (true) {
                String t = token;
                ListObjectsV2Response page = s3.listObjectsV2(b -> {
                    b.bucket(bucket).prefix(key).maxKeys(1000);
                    if (t != null) {
                        b.continuationToken(t);
                    }
                });
                for (S3Object o : page.contents()) {
                    if (o.key().equals(key)) {
                        whole = true;
                        wholeSize = o.size();
                        wholeModified = o.lastModified();
                    } else if (o.key().startsWith(segPrefix)) {
                        long index = Keys.segmentIndex(key, o.key());
                        if (index >= 0) {
                            segments.add(new Segment(o.key(), index, o.size(), o.lastModified()));
                        }
                    } else if (o.key().startsWith(dirPrefix)) {
                        directory = Optional.of(true);
                        break scan;
                    } else if (o.key().compareTo(dirPrefix) > 0) {
                        directory = Optional.of(false);
                        break scan;
                    } else if (!segments.isEmpty() || whole) {
                        break scan; // a sibling such as key-x: the object is complete, the directory question open
                    }
                }
                if (!Boolean.TRUE.equals(page.isTruncated())) {
                    if (directory.isEmpty()) {
                        directory = Optional.of(false); // listing exhausted
                    }
                    break;
                }
                if (!segments.isEmpty() || whole) {
                    break; // more siblings; the object itself is complete
                }
                token = page.nextContinuationToken();
            }
        } catch (SdkException e) {
            throw failure("listing", key, e);
        }
        segments.sort(Comparator.comparingLong(Segment::index).thenComparing(Segment::key));
        return new Described(whole, wholeSize, wholeModified, List.copyOf(segments), directory);
    }

    private Optional<HeadObjectResponse> head(String key) throws IOException {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("looking up", key, e);
        } catch (SdkException e) {
            throw failure("looking up", key, e);
        }
    }

    private boolean anyKeyUnder(String prefix) throws IOException {
        try {
            return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(1)).keyCount() > 0;
        } catch (SdkException e) {
            throw failure("listing", prefix, e);
        }
    }

    private void collectKeys(String prefix, List<String> into) throws IOException {
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())) {
                page.contents().forEach(o -> into.add(o.key()));
            }
        } catch (SdkException e) {
            throw failure("listing", prefix, e);
        }
    }

    void deleteKeys(List<String> doomed) throws IOException {
        for (int i = 0; i < doomed.size(); i += DELETE_BATCH) {
            List<ObjectIdentifier> batch = doomed.subList(i, Math.min(doomed.size(), i + DELETE_BATCH)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            try {
                if (batch.size() == 1) {
                    s3.deleteObject(b -> b.bucket(bucket).key(batch.getFirst().key()));
                    continue;
                }
                DeleteObjectsResponse r = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
                if (r.hasErrors() && !r.errors().isEmpty()) {
                    var first = r.errors().getFirst();
                    throw new IOException("S3 delete of " + r.errors().size() + " object(s) failed, first " + first.key() + ": "
                            + first.code() + " " + first.message());
                }
            } catch (SdkException e) {
                throw failure("deleting", batch.getFirst().key(), e);
            }
        }
    }

    /** Server-side copy of a whole object (multipart above the single-copy limit). */
    private void copy(String source, long size, String dest) throws IOException {
        if (size <= maxCopy) {
            try {
                s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(source).destinationBucket(bucket).destinationKey(dest));
                return;
            } catch (NoSuchKeyException e) {
                throw new PathNotFoundException(keys.path(source));
            } catch (SdkException e) {
                throw failure("copying " + source + " to", dest, e);
            }
        }
        try (Multipart mp = new Multipart(this, dest)) {
            mp.copyPieces(source, 0, size, maxCopy);
            mp.complete();
        }
    }

    /**
     * Writes the concatenation of segments to {@code dest} as one object: part copies for segments
     * of at least the part minimum, small ones merged in a buffer of at most that size (all parts
     * but the last must reach it).
     */
    private void assemble(String dest, List<Segment> all) throws IOException {
        List<Segment> segments = all.stream().filter(s -> s.size() > 0).toList();
        if (segments.isEmpty()) {
            segments = List.of(all.getFirst());
        }
        long total = segments.stream().mapToLong(Segment::size).sum();
        if (segments.size() == 1) {
            copy(segments.getFirst().key(), total, dest);
            return;
        }
        if (total < S3Settings.MIN_PART_SIZE) {
            byte[] small;
            try (InputStream in = new SegmentedInputStream(this, segments, 0)) {
                small = in.readAllBytes();
            }
            try {
                s3.putObject(b -> b.bucket(bucket).key(dest).contentType("application/octet-stream"), RequestBody.fromBytes(small));
            } catch (SdkException e) {
                throw failure("writing", dest, e);
            }
            return;
        }
        int min = S3Settings.MIN_PART_SIZE;
        try (Multipart mp = new Multipart(this, dest)) {
            byte[] carry = new byte[min];
            int carried = 0;
            for (int i = 0; i < segments.size(); i++) {
                Segment seg = segments.get(i);
                boolean last = i == segments.size() - 1;
                long pos = 0;
                while (pos < seg.size()) {
                    long rest = seg.size() - pos;
                    if (carried > 0) {
                        int take = (int) Math.min(rest, min - carried);
                        readFully(seg.key(), pos, carry, carried, take);
                        carried += take;
                        pos += take;
                        if (carried == min) {
                            mp.uploadPart(carry, carried);
                            carried = 0;
                        }
                    } else if (rest >= min || last) {
                        mp.copyPieces(seg.key(), pos, seg.size(), maxCopy);
                        pos = seg.size();
                    } else {
                        readFully(seg.key(), pos, carry, 0, (int) rest);
                        carried = (int) rest;
                        pos = seg.size();
                    }
                }
            }
            if (carried > 0) {
                mp.uploadPart(carry, carried);
            }
            mp.complete();
        }
    }

    private void readFully(String key, long from, byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        try (InputStream in = openRange(key, from, from + length - 1)) {
            int n = in.readNBytes(into, offset, length);
            if (n != length) {
                throw new IOException("segment " + key + " ended early");
            }
        }
    }

    IOException failure(String action, String key, SdkException e) {
        return new IOException("S3 " + action + " s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
    }

    /** Closing a half-read response aborts the connection instead of draining the rest of the object. */
    static final class AbortOnCloseStream extends java.io.FilterInputStream {
        private final ResponseInputStream<?> response;
        private boolean eof;

        AbortOnCloseStream(ResponseInputStream<?> response) {
            super(response);
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            eof |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            eof |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!eof) {
                response.abort();
            }
            super.close();
        }
    }
}
