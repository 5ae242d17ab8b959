package dev.akua.registry.http;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code n}/{@code last} paging of sorted lists (distribution-spec "Listing Tags"): {@code last}
 * excludes itself, {@code n=0} gives an empty list and no {@code Link}; an {@code n} above the page
 * cap (or none, on a list longer than the cap) gives a capped page with a {@code Link} to the rest.
 */
public final class Pagination {
    private Pagination() {
    }

    /** One page and the {@code last} value of the next page, if there is one. */
    public record Page<T>(List<T> items, Optional<String> nextLast, int pageSize) {
    }

    public static Optional<Integer> parseN(Optional<String> n) {
        if (n.isEmpty() || n.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(n.get());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw OciException.of(ErrorCode.UNSUPPORTED, "n must be a non-negative integer, not '" + n.get() + "'")
                    .withStatus(400);
        }
    }

    public static <T> Page<T> page(List<T> sorted, Function<T, String> key, Optional<String> last,
                                   Optional<Integer> n, int maxPageSize) {
        int start = 0;
        if (last.isPresent() && !last.get().isEmpty()) {
            String after = last.get();
            start = sorted.size();
            for (int i = 0; i < sorted.size(); i++) {
                if (key.apply(sorted.get(i)).compareTo(after) > 0) {
                    start = i;
                    break;
                }
            }
        }
        int size = Math.min(n.orElse(maxPageSize), maxPageSize);
        if (size == 0) {
            return new Page<>(List.of(), Optional.empty(), 0);
        }
        int end = Math.min(sorted.size(), start + size);
        List<T> items = sorted.subList(start, end);
        Optional<String> next = end < sorted.size() && !items.isEmpty()
                ? Optional.of(key.apply(items.getLast())) : Optional.empty();
        return new Page<>(List.copyOf(items), next, size);
    }
}
