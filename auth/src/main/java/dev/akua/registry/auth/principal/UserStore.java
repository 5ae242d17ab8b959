package dev.akua.registry.auth.principal;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users of an htpasswd file ({@link Htpasswd}), re-read whenever the file is replaced.
 *
 * <p>{@link #verify} does one bcrypt computation whether or not the user exists: for an unknown
 * user (or one whose entry is not bcrypt) it checks the password against a dummy hash of the cost
 * most entries in the file use, so a wrong user name and a wrong password cost the same time and
 * give the same answer.
 */
public final class UserStore {
    private final FileSnapshot<Htpasswd> file;
    private final Passwords passwords;
    private final int defaultCost;
    private final Map<Integer, String> dummyHashes = new ConcurrentHashMap<>();

    /**
     * @param file        the htpasswd file; absent means no users
     * @param defaultCost the cost of the dummy hash when the file has no entries to copy it from
     */
    public UserStore(Path file, int defaultCost, SecureRandom random) {
        this.file = new FileSnapshot<>(file, Htpasswd::parse);
        this.passwords = new Passwords(random);
        this.defaultCost = defaultCost;
        dummyHash(dummyCost(this.file.get()));
    }

    /** True if the password is the user's; same time and answer for unknown users. */
    public boolean verify(String user, char[] password) {
        Objects.requireNonNull(password, "password");
        Htpasswd current = file.get();
        Optional<String> hash = user == null ? Optional.empty() : current.hashOf(user);
        if (hash.isPresent() && Passwords.isUsableBcrypt(hash.get())) {
            return Passwords.matches(hash.get(), password);
        }
        Passwords.matches(dummyHash(dummyCost(current)), password);
        return false;
    }

    public boolean exists(String user) {
        return file.get().contains(user);
    }

    public List<String> users() {
        return file.get().users();
    }

    /** Lines of the file that cannot log in or were ignored, for the CLI and the startup log. */
    public List<String> problems() {
        return file.get().problems();
    }

    private int dummyCost(Htpasswd current) {
        int cost = current.typicalCost().orElse(defaultCost);
        return Math.max(Passwords.MIN_COST, Math.min(Passwords.MAX_COST, cost));
    }

    private String dummyHash(int cost) {
        return dummyHashes.computeIfAbsent(cost, c -> {
            byte[] noise = new byte[18];
            new SecureRandom().nextBytes(noise);
            return passwords.hash(java.util.Base64.getEncoder().encodeToString(noise).toCharArray(), c);
        });
    }
}
