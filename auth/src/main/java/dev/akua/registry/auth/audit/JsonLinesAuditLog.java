package dev.akua.registry.auth.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Objects;

/**
 * Append-only audit file, one JSON object per line:
 * {@code {"time","event","principal","client","repository","reference","digest","previous_digest","detail","attributes"}}
 * (absent fields left out). The file is opened in append mode and each line is written by one
 * call under a lock, so lines from concurrent requests never interleave, and rotating the file
 * with {@code copytruncate} is safe. Lines are not forced to disk one by one (the OS writes them
 * out); values are JSON-escaped, so a client-chosen name cannot forge a line.
 *
 * <p>With several replicas, give each its own path.
 */
public final class JsonLinesAuditLog implements AuditLog {
    private static final System.Logger LOG = System.getLogger(JsonLinesAuditLog.class.getName());

    private final Path path;
    private final Clock clock;
    private final JsonFactory json = new JsonFactory();
    private final FileChannel channel;

    public JsonLinesAuditLog(Path path, Clock clock) {
        this.path = Objects.requireNonNull(path, "path");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit log " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * An audit log at {@code path} that creates and opens the file with the first event instead
     * of now (the open quick start leaves no files behind until something happens). A file that
     * cannot be opened then is reported in the server log and the event dropped, like a failed write.
     */
    public static AuditLog deferred(Path path, Clock clock) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(clock, "clock");
        return new AuditLog() {
            private JsonLinesAuditLog log;
            private boolean closed;

            @Override
            public synchronized void record(AuditEvent event) {
                if (closed) {
                    return;
                }
                if (log == null) {
                    try {
                        log = new JsonLinesAuditLog(path, clock);
                    } catch (UncheckedIOException e) {
                        LOG.log(Level.ERROR, e.getMessage());
                        return;
                    }
                }
                log.record(event);
            }

            @Override
            public synchronized void close() {
                closed = true;
                if (log != null) {
                    log.close();
                }
            }
        };
    }

    public Path path() {
        return path;
    }

    @Override
    public void record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        byte[] line;
        try {
            line = format(event).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot format audit event " + event.name(), e);
            return;
        }
        synchronized (this) {
            try {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            } catch (IOException e) {
                LOG.log(Level.ERROR, "cannot write to the audit log " + path + ": " + e.getMessage());
            }
        }
    }

    private String format(AuditEvent e) throws IOException {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", clock.instant().toString());
            g.writeStringField("event", e.name());
            field(g, "principal", e.principal());
            field(g, "client", e.client());
            field(g, "repository", e.repository());
            field(g, "reference", e.reference());
            field(g, "digest", e.digest());
            field(g, "previous_digest", e.previousDigest());
            field(g, "detail", e.detail());
            if (!e.attributes().isEmpty()) {
                g.writeObjectFieldStart("attributes");
                for (java.util.Map.Entry<String, String> a : e.attributes().entrySet()) {
                    g.writeStringField(a.getKey(), a.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.append('\n').toString();
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot close the audit log " + path + ": " + e.getMessage());
        }
    }
}
