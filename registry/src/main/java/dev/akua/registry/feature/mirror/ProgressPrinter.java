package dev.akua.registry.feature.mirror;

import dev.akua.registry.mirror.Progress;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * Progress of {@code mirror run}, {@code export} and {@code import} on the command line: a bar
 * redrawn in place on a terminal ({@code verify [#######-------] 48% 1.2 GiB/2.5 GiB 310 items}),
 * a line every tenth of the way when the output is a file or a pipe (CI logs), or nothing but the
 * per-artifact lines. Artifact lines ({@link #note}) are printed in every mode.
 */
final class ProgressPrinter implements Progress {
    enum Mode { BAR, LINES, NONE }

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final Mode mode;
    private String phase = "";
    private long totalItems;
    private long totalBytes;
    private long items;
    private long bytes;
    private long lastDraw;
    private int lastTenth;
    private boolean drawn;

    ProgressPrinter(PrintStream out, Mode mode) {
        this.out = out;
        this.mode = mode;
    }

    /** {@code --progress bar|lines|none}; without it, a bar on a terminal and lines otherwise. */
    static Mode mode(String option) {
        if (option != null) {
            return switch (option.toLowerCase(Locale.ROOT)) {
                case "bar" -> Mode.BAR;
                case "lines" -> Mode.LINES;
                case "none" -> Mode.NONE;
                default -> throw new IllegalArgumentException("--progress takes bar, lines or none, not " + option);
            };
        }
        return onTerminal() ? Mode.BAR : Mode.LINES;
    }

    /** Whether standard output is a terminal (Console.isTerminal on JDK 22+, else "there is a console"). */
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override
    public void begin(String phase, long totalItems, long totalBytes) {
        this.phase = phase;
        this.totalItems = totalItems;
        this.totalBytes = totalBytes;
        this.items = 0;
        this.bytes = 0;
        this.lastTenth = 0;
        this.lastDraw = 0;
        if (mode == Mode.LINES) {
            out.println(phase + ": started" + totals());
        }
    }

    @Override
    public void advance(long items, long bytes) {
        this.items += items;
        this.bytes += bytes;
        switch (mode) {
            case BAR -> {
                long now = System.nanoTime();
                if (now - lastDraw > REDRAW_NANOS) {
                    lastDraw = now;
                    draw();
                }
            }
            case LINES -> {
                int tenth = (int) (fraction() * 10);
                if (tenth > lastTenth && tenth < 10) {
                    lastTenth = tenth;
                    out.println(phase + ": " + (tenth * 10) + "% (" + items() + ")");
                }
            }
            case NONE -> {
            }
        }
    }

    @Override
    public void note(String line) {
        if (drawn) {
            out.print("\r\033[K");
            drawn = false;
        }
        out.println(line);
    }

    @Override
    public void end() {
        switch (mode) {
            case BAR -> {
                draw();
                out.println();
                drawn = false;
            }
            case LINES -> out.println(phase + ": done (" + items() + ")");
            case NONE -> {
            }
        }
        out.flush();
    }

    private void draw() {
        double f = fraction();
        StringBuilder bar = new StringBuilder("\r").append(phase).append(" [");
        int filled = f < 0 ? 0 : (int) Math.round(f * WIDTH);
        bar.append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ");
        if (f >= 0) {
            bar.append(String.format(Locale.ROOT, "%3d%% ", (int) Math.round(f * 100)));
        }
        bar.append(items()).append("\033[K");
        out.print(bar);
        out.flush();
        drawn = true;
    }

    /** Done so far, by bytes when the total is known, else by items; -1 when neither total is known. */
    private double fraction() {
        if (totalBytes > 0) {
            return Math.min(1, (double) bytes / totalBytes);
        }
        if (totalItems > 0) {
            return Math.min(1, (double) items / totalItems);
        }
        return -1;
    }

    private String items() {
        String b = totalBytes > 0 ? size(bytes) + "/" + size(totalBytes) : size(bytes);
        String i = totalItems > 0 ? items + "/" + totalItems + " items" : items + " items";
        return b + ", " + i;
    }

    private String totals() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (totalItems >= 0) {
            parts.add(totalItems + " items");
        }
        if (totalBytes >= 0) {
            parts.add(size(totalBytes));
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    static String size(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
