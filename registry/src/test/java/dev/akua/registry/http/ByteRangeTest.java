package dev.akua.registry.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class ByteRangeTest {

    @ParameterizedTest(name = "{0} of {1}")
    @CsvSource(delimiter = '|', value = {
            "bytes=0-9      | 100 | 0  | 9",
            "bytes=10-      | 100 | 10 | 99",
            "bytes=-5       | 100 | 95 | 99",
            "bytes=-500     | 100 | 0  | 99",
            "bytes=90-200   | 100 | 90 | 99",
            "bytes= 1 - 2   | 100 | 1  | 2",
    })
    void resolve_satisfiable_isPartial(String header, long size, long first, long last) {
        ByteRange.Outcome o = ByteRange.resolve(Optional.of(header), size);
        ByteRange r = assertInstanceOf(ByteRange.Partial.class, o).range();
        assertEquals(first, r.first());
        assertEquals(last, r.last());
        assertEquals("bytes " + first + "-" + last + "/" + size, r.contentRange(size));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"bytes=100-     | 100", "bytes=100-200 | 100", "bytes=-0 | 100", "bytes=0- | 0"})
    void resolve_outside_isUnsatisfiable(String header, long size) {
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.resolve(Optional.of(header), size));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"bytes=0-1,5-6 | 100", "items=0-1 | 100", "bytes=5-2 | 100", "bytes=- | 100", "garbage | 100"})
    void resolve_multipleOrInvalid_isWhole(String header, long size) {
        assertInstanceOf(ByteRange.Whole.class, ByteRange.resolve(Optional.of(header), size));
    }
}
