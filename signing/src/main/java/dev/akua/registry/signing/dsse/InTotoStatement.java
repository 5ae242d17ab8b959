package dev.akua.registry.signing.dsse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.signing.wire.WireFormatException;
import dev.akua.registry.signing.wire.WireJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of an in-toto statement a verifier needs: its subjects and predicate type. The
 * predicate itself is not interpreted here.
 *
 * @param subjects      the statement's subjects
 * @param predicateType the predicate type URI
 */
public record InTotoStatement(List<Subject> subjects, String predicateType) {
    public static final String STATEMENT_V1 = "https://in-toto.io/Statement/v1";
    /** Older statements (cosign before v2.x, in-toto attestation framework v0.1) are still read. */
    public static final String STATEMENT_V01 = "https://in-toto.io/Statement/v0.1";
    private static final Set<String> TYPES = Set.of(STATEMENT_V1, STATEMENT_V01);
    /** A sane bound; statements with more subjects are refused rather than scanned. */
    public static final int MAX_SUBJECTS = 1024;

    public InTotoStatement {
        subjects = List.copyOf(subjects);
    }

    public static InTotoStatement parse(WireJson json, byte[] bytes) {
        JsonNode root = json.parseObject(bytes, "in-toto statement");
        String type = root.path("_type").asText(null);
        if (type == null || !TYPES.contains(type)) {
            throw new WireFormatException("statement _type is " + (type == null ? "missing" : type)
                    + ", expected " + STATEMENT_V1);
        }
        JsonNode subjects = root.get("subject");
        if (subjects == null || !subjects.isArray() || subjects.isEmpty()) {
            throw new WireFormatException("statement has no subject");
        }
        if (subjects.size() > MAX_SUBJECTS) {
            throw new WireFormatException("statement has more than " + MAX_SUBJECTS + " subjects");
        }
        List<Subject> out = new ArrayList<>(subjects.size());
        for (JsonNode s : subjects) {
            Map<String, String> digests = new LinkedHashMap<>();
            JsonNode d = s.path("digest");
            if (d.isObject()) {
                d.properties().forEach(e -> {
                    if (e.getValue().isTextual()) {
                        digests.put(e.getKey(), e.getValue().asText());
                    }
                });
            }
            out.add(new Subject(s.path("name").asText(""), digests));
        }
        JsonNode predicateType = root.get("predicateType");
        if (predicateType == null || !predicateType.isTextual()) {
            throw new WireFormatException("statement has no predicateType");
        }
        return new InTotoStatement(out, predicateType.asText());
    }

    /**
     * True when some subject's digest for the algorithm of {@code digest} equals its hex (akua's
     * {@code verify.rs:382-435}: "some subject[].digest[algo] equals the digest").
     */
    public boolean hasSubject(Digest digest) {
        String algo = digest.algorithm().id();
        for (Subject s : subjects) {
            String hex = s.digest().get(algo);
            if (hex != null && hex.equalsIgnoreCase(digest.hex())) {
                return true;
            }
        }
        return false;
    }

    /** One subject: a name and its digests by algorithm. */
    public record Subject(String name, Map<String, String> digest) {
        public Subject {
            digest = Map.copyOf(digest);
        }
    }
}
