package dev.akua.registry.publisher;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code helm template} output: documents framed as {@code ---\n# Source: <path>\n<content>\n}. */
final class HelmOutput {
    private static final String FRAME = "---\n# Source: ";

    private HelmOutput() {
    }

    static Map<String, String> documentsBySource(String output) {
        Map<String, String> docs = new LinkedHashMap<>();
        int at = output.indexOf(FRAME);
        while (at >= 0) {
            int nameEnd = output.indexOf('\n', at + FRAME.length());
            String source = output.substring(at + FRAME.length(), nameEnd);
            int next = output.indexOf(FRAME, nameEnd);
            String body = output.substring(nameEnd + 1, next < 0 ? output.length() : next);
            // helm prints each document followed by one newline
            docs.put(source, body.endsWith("\n") ? body.substring(0, body.length() - 1) : body);
            at = next;
        }
        return docs;
    }

    /**
     * What {@code helm template} prints for a manifest: Helm splits the rendered file into documents
     * ({@code releaseutil.SplitManifests}) and trims surrounding whitespace from each; nothing else changes.
     */
    static String asHelmPrintsIt(String manifest) {
        return manifest.strip();
    }
}
