package dev.akua.registry.publisher.archive;

/**
 * The rules for names inside archives clients send. A name that could reach outside the directory
 * it is unpacked into, or that different tools would read differently, is refused rather than
 * repaired.
 */
public final class EntryNames {
    private EntryNames() {
    }

    /**
     * The name with any leading {@code ./} and a directory's trailing {@code /} removed ("" for the
     * root directory itself).
     *
     * @throws ArchiveRefusal for absolute names, {@code ..} or {@code .} components, empty
     *                        components, backslashes, NUL and other control characters
     */
    public static String normalize(String raw) throws ArchiveRefusal {
        if (raw == null || raw.isEmpty()) {
            throw new ArchiveRefusal("an archive entry has an empty name", false);
        }
        String shown = printable(raw);
        boolean drive = raw.length() >= 2 && raw.charAt(1) == ':' && Character.isLetter(raw.charAt(0))
                && (raw.length() == 2 || raw.charAt(2) == '/' || raw.charAt(2) == '\\');
        if (raw.startsWith("/") || drive) {
            throw new ArchiveRefusal("entry '" + shown + "' has an absolute name", false);
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\') {
                throw new ArchiveRefusal("entry '" + shown + "' contains a backslash", false);
            }
            if (c < 0x20 || c == 0x7f) {
                throw new ArchiveRefusal("entry '" + shown + "' contains a control character", false);
            }
        }
        String name = raw;
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        if (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.equals(".")) {
            return "";
        }
        for (String part : name.split("/", -1)) {
            if (part.equals("..")) {
                throw new ArchiveRefusal("entry '" + shown + "' refers to a parent directory ('..')", false);
            }
            if (part.isEmpty() || part.equals(".")) {
                throw new ArchiveRefusal("entry '" + shown + "' has an empty or '.' path component", false);
            }
        }
        return name;
    }

    /** The name for messages: control characters shown as {@code ?}, at most 200 characters. */
    static String printable(String raw) {
        StringBuilder b = new StringBuilder(Math.min(raw.length(), 200));
        for (int i = 0; i < raw.length() && b.length() < 200; i++) {
            char c = raw.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return raw.length() > 200 ? b + "…" : b.toString();
    }
}
