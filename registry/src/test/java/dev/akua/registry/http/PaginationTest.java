package dev.akua.registry.http;

import dev.akua.registry.oci.error.OciException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PaginationTest {
    private static final List<String> ITEMS = List.of("a", "b", "c", "d", "e");

    private static Pagination.Page<String> page(String last, Integer n, int max) {
        return Pagination.page(ITEMS, Function.identity(), Optional.ofNullable(last), Optional.ofNullable(n), max);
    }

    @Test
    void page_noParameters_allWithinCap() {
        var p = page(null, null, 10);
        assertEquals(ITEMS, p.items());
        assertEquals(Optional.empty(), p.nextLast());
    }

    @Test
    void page_n_limitsAndPointsAtNext() {
        var p = page(null, 2, 10);
        assertEquals(List.of("a", "b"), p.items());
        assertEquals(Optional.of("b"), p.nextLast());
    }

    @Test
    void page_last_isExclusive() {
        assertEquals(List.of("c", "d"), page("b", 2, 10).items());
        assertEquals(List.of("c", "d", "e"), page("bb", null, 10).items());
        assertEquals(List.of(), page("z", null, 10).items());
    }

    @Test
    void page_nAboveCap_isCappedWithNext() {
        var p = page(null, 100, 3);
        assertEquals(List.of("a", "b", "c"), p.items());
        assertEquals(Optional.of("c"), p.nextLast());
    }

    @Test
    void page_nZero_isEmptyWithoutNext() {
        var p = page(null, 0, 3);
        assertEquals(List.of(), p.items());
        assertEquals(Optional.empty(), p.nextLast());
    }

    @Test
    void parseN_invalid_is400() {
        assertEquals(400, assertThrows(OciException.class, () -> Pagination.parseN(Optional.of("-1"))).status());
        assertEquals(400, assertThrows(OciException.class, () -> Pagination.parseN(Optional.of("x"))).status());
        assertEquals(Optional.empty(), Pagination.parseN(Optional.of("")));
    }
}
