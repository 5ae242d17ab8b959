package dev.akua.registry.publisher.helm;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a manifest into Helm template text that renders back to exactly the same characters.
 *
 * <p>Go's text/template copies everything outside {@code {{ … }}} verbatim, so the only thing to
 * escape is the left delimiter: each {@code {{} becomes the action {@code {{"{{"}}}, which prints
 * the two braces. {@code }}} outside an action is plain text and stays; trim markers only exist
 * inside delimiters, and the inserted action has none. A manifest holding {@code {{ .Values.x }}}
 * therefore renders as the literal text {@code {{ .Values.x }}}.
 *
 * <p>Two things Helm does after rendering cannot be escaped, so such manifests are refused
 * ({@link #unreproducible}): it deletes every {@code <no value>} from the output
 * ({@code pkg/engine/engine.go}, whatever produced the text), and {@code helm template} splits the
 * output into documents on the separator {@code (?:^|\s*\n)---\s*}
 * ({@code pkg/releaseutil/manifest.go}), so a line starting with {@code ---} inside a manifest
 * would cut it in two.
 */
public final class TemplateText {
    /** What Helm removes from rendered output. */
    static final String NO_VALUE = "<no value>";
    private static final Pattern HELM_SEPARATOR = Pattern.compile("(?:^|[\\t\\n\\f\\r ]*\\n)---[\\t\\n\\f\\r ]*");

    private TemplateText() {
    }

    /** The template text for {@code manifest}. */
    public static String escape(String manifest) {
        return manifest.replace("{{", "{{\"{{\"}}");
    }

    /** Why {@code helm template} could not give {@code manifest} back exactly, if it could not. */
    public static Optional<String> unreproducible(String manifest) {
        if (manifest.contains(NO_VALUE)) {
            return Optional.of("contains the text '<no value>', which Helm deletes from every rendered template");
        }
        String trimmed = goTrimSpace(manifest);
        String[] docs = HELM_SEPARATOR.split(trimmed, -1);
        int nonEmpty = 0;
        for (String d : docs) {
            if (!d.isEmpty()) {
                nonEmpty++;
            }
        }
        if (nonEmpty > 1) {
            return Optional.of("has a line starting with '---' after its first line, where helm template would split it into two documents");
        }
        return Optional.empty();
    }

    /** Go's {@code strings.TrimSpace} for the ASCII whitespace set Helm's separator uses, plus VT, NEL and NBSP. */
    static String goTrimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isGoSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isGoSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isGoSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r' || c == '\u0085' || c == '\u00a0'
                || Character.isSpaceChar(c);
    }
}
