package dev.akua.registry.helm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.fileupload2.core.MultipartInput;
import org.apache.commons.fileupload2.core.ParameterParser;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

/**
 * The body of a ChartMuseum-style upload ({@code POST /api/charts}), in either form ChartMuseum
 * accepts: the raw {@code .tgz} ({@code curl --data-binary @chart.tgz}), or {@code multipart/form-data}
 * with the archive in the field {@code chart} ({@code curl -F chart=@chart.tgz}; a {@code prov} field
 * is read past and ignored). Multipart is read as a stream (commons-fileupload2's
 * {@link MultipartInput}) with bounded part headers; the archive is spooled under the size cap.
 */
final class ChartUpload {
    private static final int MAX_PART_HEADERS = 8 * 1024;
    private static final int MAX_PARTS = 8;

    private ChartUpload() {
    }

    static Spool read(InputStream body, String contentType, Path spoolDir, long cap) {
        try {
            String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).trim();
            if (!type.startsWith("multipart/")) {
                return spool(body, spoolDir, cap);
            }
            if (!type.startsWith("multipart/form-data")) {
                throw invalid("multipart uploads must be multipart/form-data");
            }
            ParameterParser params = new ParameterParser();
            params.setLowerCaseNames(true);
            Map<String, String> p = params.parse(contentType, new char[] {';', ','});
            String boundary = p.get("boundary");
            if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
                throw invalid("multipart upload without a usable boundary");
            }
            MultipartInput multipart = MultipartInput.builder().setInputStream(body)
                    .setBoundary(boundary.getBytes(StandardCharsets.ISO_8859_1))
                    .setPartHeaderSizeMax(MAX_PART_HEADERS)
                    .get();
            boolean next = multipart.skipPreamble();
            int parts = 0;
            while (next) {
                if (++parts > MAX_PARTS) {
                    throw invalid("multipart upload has more than " + MAX_PARTS + " parts");
                }
                String field = fieldName(multipart.readHeaders(), params);
                if ("chart".equals(field)) {
                    try (InputStream part = multipart.newInputStream()) {
                        return spool(part, spoolDir, cap);
                    }
                }
                multipart.discardBodyData();
                next = multipart.readBoundary();
            }
            throw invalid("multipart upload has no `chart` field");
        } catch (OciException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw invalid("unreadable upload: " + e.getMessage());
        }
    }

    private static Spool spool(InputStream in, Path dir, long cap) throws IOException {
        try {
            return Spool.of(in, dir, cap);
        } catch (Spool.TooLarge e) {
            throw OciException.of(ErrorCode.SIZE_INVALID, "chart upload is " + e.getMessage()).withStatus(413);
        }
    }

    private static String fieldName(String headers, ParameterParser params) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
                Map<String, String> p = params.parse(line.substring(colon + 1), ';');
                return p.get("name");
            }
        }
        return null;
    }

    private static OciException invalid(String message) {
        return OciException.of(ErrorCode.MANIFEST_INVALID, message);
    }
}
