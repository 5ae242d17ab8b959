package dev.akua.registry.storage.driver;

import java.io.Closeable;
import java.io.IOException;

/**
 * An append-only writer. {@link #size()} counts every byte of the object, including those written
 * before this writer was opened with {@code append=true}.
 */
public interface FileWriter extends Closeable {

    void write(byte[] buffer, int offset, int length) throws IOException;

    /** Total size of the object so far. */
    long size();

    /** Makes everything written durable. The writer stays usable until closed. */
    void commit() throws IOException;

    /** Discards the object. */
    void cancel() throws IOException;

    /** Releases resources. Bytes written but not committed may or may not survive. */
    @Override
    void close() throws IOException;
}
