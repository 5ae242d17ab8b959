package dev.akua.registry.auth.principal;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * bcrypt password hashes in the form {@code htpasswd -B} writes ({@code $2y$<cost>$<salt+hash>},
 * 60 characters). Hashing and checking are Bouncy Castle's {@link OpenBSDBCrypt}, whose check
 * compares the whole recomputed string without an early exit.
 */
public final class Passwords {
    /** Costs accepted when reading a file: below 4 bcrypt is undefined, above 17 one login takes seconds. */
    public static final int MIN_COST = 4;
    public static final int MAX_COST = 17;
    /** bcrypt only looks at the first 72 bytes of a password. */
    public static final int MAX_PASSWORD_BYTES = 72;
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    private final SecureRandom random;

    public Passwords(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new {@code $2y$} hash with a fresh 16-byte salt. */
    public String hash(char[] password, int cost) {
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost must be between " + MIN_COST + " and " + MAX_COST + ", got " + cost);
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password, salt, cost);
    }

    /** True if {@code password} matches {@code hash}; false for any hash that is not usable bcrypt. */
    public static boolean matches(String hash, char[] password) {
        if (!isUsableBcrypt(hash)) {
            return false;
        }
        try {
            return OpenBSDBCrypt.checkPassword(hash, password);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A bcrypt hash of a supported version whose cost is within {@link #MIN_COST}..{@link #MAX_COST}. */
    public static boolean isUsableBcrypt(String hash) {
        OptionalInt cost = cost(hash);
        return cost.isPresent() && cost.getAsInt() >= MIN_COST && cost.getAsInt() <= MAX_COST;
    }

    public static OptionalInt cost(String hash) {
        if (hash == null) {
            return OptionalInt.empty();
        }
        var m = BCRYPT.matcher(hash);
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
