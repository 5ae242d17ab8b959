package dev.akua.registry.storage.upload;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inclusive byte range of a chunk, from a PATCH/PUT {@code Content-Range} header
 * (distribution-spec "Pushing a blob in chunks": {@code ^[0-9]+-[0-9]+$}, inclusive on both ends).
 * The RFC 9110 form {@code bytes 0-99/*} is accepted as well, since some clients send it.
 */
public record ChunkRange(long start, long end) {
    private static final Pattern SPEC = Pattern.compile("(?:bytes[ =])?([0-9]{1,19})-([0-9]{1,19})(?:/(?:[0-9]{1,19}|\\*))?");

    public ChunkRange {
        if (start < 0 || end < start) {
            throw OciException.of(ErrorCode.BLOB_UPLOAD_INVALID, "invalid Content-Range " + start + "-" + end)
                    .withStatus(416);
        }
    }

    public static ChunkRange parse(String header) {
        Matcher m = SPEC.matcher(header.trim());
        if (!m.matches()) {
            throw OciException.of(ErrorCode.BLOB_UPLOAD_INVALID, "invalid Content-Range: " + header).withStatus(416);
        }
        try {
            return new ChunkRange(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            throw OciException.of(ErrorCode.BLOB_UPLOAD_INVALID, "invalid Content-Range: " + header).withStatus(416);
        }
    }

    public long length() {
        return end - start + 1;
    }
}
