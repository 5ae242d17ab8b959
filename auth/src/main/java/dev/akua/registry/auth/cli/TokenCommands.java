package dev.akua.registry.auth.cli;

import dev.akua.registry.auth.permission.PatternGrant;
import dev.akua.registry.auth.principal.ApiToken;
import dev.akua.registry.auth.principal.ApiTokenStore;
import dev.akua.registry.auth.principal.UserFileEditor;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code robot create|list|revoke} and {@code token create} (personal tokens): edits the token
 * file the server reads (a revocation applies on the server's next request). A new secret is in
 * the output of {@code create} and nowhere else: only its hash is stored.
 *
 * <p>Expiry text: {@code 90d}, {@code 12h}, {@code 30m}, a date {@code 2027-01-31} (start of that
 * day, UTC), an instant {@code 2027-01-31T12:00:00Z}, or {@code never}; none given means
 * {@link #DEFAULT_EXPIRY}.
 */
public final class TokenCommands {
    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(90);
    private static final Duration MAX_EXPIRY = Duration.ofDays(3660);
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,5})([dhm])");

    private final ApiTokenStore store;
    private final UserFileEditor users;
    private final Path tokensFile;
    private final Clock clock;

    /**
     * @param tokensFile the token file ({@code auth.tokensFile})
     * @param usersFile  the htpasswd file ({@code auth.usersFile}), to check personal-token owners exist
     */
    public TokenCommands(Path tokensFile, Path usersFile, Clock clock, SecureRandom random) {
        this.tokensFile = Objects.requireNonNull(tokensFile, "tokensFile");
        this.store = new ApiTokenStore(tokensFile, clock, random);
        this.users = new UserFileEditor(usersFile);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Creates a robot account with its own scopes ({@code team-a/**:pull,push}, ...).
     *
     * @param expiry expiry text, or null for the default
     */
    public CommandResult createRobot(String name, List<String> scopes, String expiry, String description) {
        return create(ApiToken.Kind.ROBOT, name, scopes, expiry, description);
    }

    /**
     * Creates a personal token for an existing user; with scopes it can do at most that (and never
     * more than the user), without it can do what the user can.
     */
    public CommandResult createPersonal(String user, List<String> scopes, String expiry, String description) {
        if (user == null || !users.users().contains(user)) {
            return CommandResult.failed("no user '" + user + "'; add the user first");
        }
        return create(ApiToken.Kind.PERSONAL, user, scopes, expiry, description);
    }

    private CommandResult create(ApiToken.Kind kind, String name, List<String> scopeTexts, String expiry, String description) {
        List<PatternGrant> scopes = new ArrayList<>();
        Optional<Instant> expires;
        try {
            for (String s : scopeTexts == null ? List.<String>of() : scopeTexts) {
                scopes.add(PatternGrant.parse(s));
            }
            expires = parseExpiry(expiry);
        } catch (IllegalArgumentException e) {
            return CommandResult.usage(e.getMessage());
        }
        ApiTokenStore.Created created;
        try {
            created = store.create(kind, name, scopes, expires, description);
        } catch (IllegalArgumentException e) {
            return e.getMessage().contains("already exists") ? CommandResult.failed(e.getMessage()) : CommandResult.usage(e.getMessage());
        } catch (UncheckedIOException e) {
            return CommandResult.failed(e.getMessage());
        }
        ApiToken t = created.token();
        String who = kind == ApiToken.Kind.ROBOT ? "robot '" + t.name() + "'" : "personal token for user '" + t.name() + "'";
        String text = "created " + who + " (id " + t.id() + ")\n"
                + "  scopes:  " + (t.scopes().isEmpty() ? "(all of the user's rights)" : t.scopes()) + "\n"
                + "  expires: " + t.expires().map(Instant::toString).orElse("never") + "\n"
                + "secret (shown only now; store it in your CI secret store):\n"
                + created.secret() + "\n";
        return CommandResult.ok(text);
    }

    /** One line per token: id, kind, name, status, expiry, scopes. */
    public CommandResult list() {
        Instant now = clock.instant();
        StringBuilder out = new StringBuilder(String.format("%-16s  %-8s  %-20s  %-7s  %-20s  %s%n",
                "ID", "KIND", "NAME", "STATUS", "EXPIRES", "SCOPES"));
        for (ApiToken t : store.list()) {
            out.append(String.format("%-16s  %-8s  %-20s  %-7s  %-20s  %s%n", t.id(), t.kind().wireName(), t.name(),
                    t.status(now).name().toLowerCase(java.util.Locale.ROOT),
                    t.expires().map(i -> i.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()).orElse("never"),
                    t.scopes().isEmpty() ? "(user's rights)" : t.scopes().toString()));
        }
        return CommandResult.ok(out.toString());
    }

    /** Revokes a token by id, or every active token of a robot by name. */
    public CommandResult revoke(String idOrRobotName) {
        if (idOrRobotName == null || idOrRobotName.isBlank()) {
            return CommandResult.usage("name the token id or robot to revoke");
        }
        List<ApiToken> revoked;
        try {
            revoked = store.revoke(idOrRobotName.trim());
        } catch (UncheckedIOException e) {
            return CommandResult.failed(e.getMessage());
        }
        if (revoked.isEmpty()) {
            return CommandResult.failed("no active token or robot '" + idOrRobotName + "' in " + tokensFile);
        }
        StringBuilder out = new StringBuilder();
        revoked.forEach(t -> out.append("revoked ").append(t.kind().wireName()).append(" token ").append(t.id())
                .append(" (").append(t.name()).append(")\n"));
        return CommandResult.ok(out.toString());
    }

    Optional<Instant> parseExpiry(String text) {
        Instant now = clock.instant();
        if (text == null || text.isBlank()) {
            return Optional.of(now.plus(DEFAULT_EXPIRY));
        }
        String t = text.trim();
        if (t.equals("never")) {
            return Optional.empty();
        }
        Instant at;
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            at = now.plus(switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMinutes(n);
            });
        } else {
            try {
                at = t.length() == 10 ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(t);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("invalid expiry '" + t + "': use 90d, 12h, 30m, 2027-01-31, an ISO instant or never");
            }
        }
        if (!at.isAfter(now)) {
            throw new IllegalArgumentException("expiry " + at + " is not in the future");
        }
        if (at.isAfter(now.plus(MAX_EXPIRY))) {
            throw new IllegalArgumentException("expiry more than 10 years ahead; use never if you mean it");
        }
        return Optional.of(at);
    }
}
