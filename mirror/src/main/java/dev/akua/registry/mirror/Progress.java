package dev.akua.registry.mirror;

/**
 * Progress of a long operation (mirror run, export, import), for a terminal bar or log lines.
 * Totals may be unknown (-1) until the plan is made. Called from the working thread only.
 */
public interface Progress {

    /** A phase starts, e.g. "export", with what it will move, or -1 when unknown. */
    void begin(String phase, long totalItems, long totalBytes);

    /** Items done (blobs, manifests) and bytes moved since the last call. */
    void advance(long items, long bytes);

    /** One line for the log: an artifact copied, skipped or refused. */
    void note(String line);

    /** The phase ended. */
    void end();

    Progress NONE = new Progress() {
        @Override
        public void begin(String phase, long totalItems, long totalBytes) {
        }

        @Override
        public void advance(long items, long bytes) {
        }

        @Override
        public void note(String line) {
        }

        @Override
        public void end() {
        }
    };
}
