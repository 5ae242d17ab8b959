package dev.akua.registry.feature.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of one auth subcommand: positionals, {@code --name value} / {@code --name=value}
 * options (repeatable), and flags. Unknown options are a usage error, not ignored.
 */
final class CliArgs {
    /** A usage error; the message goes to standard error with exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final Set<String> flags;

    /**
     * @param valued the options that take a value (without {@code --})
     * @param flags  the options that do not
     */
    CliArgs(List<String> args, Set<String> valued, Set<String> flags) {
        this.flags = new java.util.HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name) && value == null) {
                this.flags.add(name);
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
    }

    List<String> positional() {
        return positional;
    }

    /** Exactly {@code n} positionals, else a usage error showing {@code usage}. */
    List<String> positional(int n, String usage) {
        if (positional.size() != n) {
            throw new UsageException("usage: " + usage);
        }
        return positional;
    }

    List<String> all(String option) {
        return options.getOrDefault(option, List.of());
    }

    Optional<String> one(String option) {
        List<String> v = all(option);
        if (v.size() > 1) {
            throw new UsageException("--" + option + " given more than once");
        }
        return v.stream().findFirst();
    }

    boolean flag(String name) {
        return flags.contains(name);
    }
}
