package dev.ferry.core.ingest.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowsTableTest {
    private static List<Path> spills() throws Exception {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("ferry-rows-")).toList();
        }
    }

    /** Text, numbers, booleans, lists and objects by turns (lists and objects come back as JSON does). */
    private static Object third(int i) {
        return switch (i % 4) {
            case 0 -> 1.5;
            case 1 -> true;
            case 2 -> List.of(1, 2);
            default -> Map.of("k", "v");
        };
    }

    @Test
    void rowsBeyondTheHeapPartSpillAndComeBackInOrderWithEveryKindOfValue() throws Exception {
        List<Path> before = spills();
        int n = RowsTable.IN_MEMORY * 2 + 5;
        try (RowsTable table = new RowsTable(List.of("a", "b", "c"))) {
            for (int i = 0; i < n; i++) {
                table.add(Arrays.asList("row " + i + " é", i % 3 == 0 ? null : (Object) (long) i, third(i)));
            }
            assertThat(spills()).hasSize(before.size() + 1);
            assertThat(table.size()).isEqualTo(n);
            table.transformOnRead(row -> {
                row.set(0, ((String) row.get(0)).toUpperCase());
                return row;
            });
            List<List<Object>> read = new ArrayList<>();
            table.forEach(r -> read.add(r.values()));
            assertThat(read).hasSize(n);
            for (int i : new int[] {0, RowsTable.IN_MEMORY - 1, RowsTable.IN_MEMORY, n - 1}) {
                assertThat(read.get(i).get(0)).isEqualTo("ROW " + i + " É");
                assertThat(read.get(i).get(1)).isEqualTo(i % 3 == 0 ? null : (long) i);
            }
            for (int i = n - 4; i < n; i++) {
                assertThat(read.get(i).get(2)).isEqualTo(third(i));
            }
            // read as often as asked
            assertThat(table.rows()).isEqualTo(read);
        }
        assertThat(spills()).as("closed: its file is gone").hasSameElementsAs(before);
    }

    @Test
    void aValueLargerThanTheSpillsBufferComesBackWhole() {
        String big = "x".repeat(3 << 20) + "é";
        try (RowsTable table = new RowsTable(List.of("a"))) {
            for (int i = 0; i < RowsTable.IN_MEMORY + 3; i++) {
                table.add(List.of(i == RowsTable.IN_MEMORY + 1 ? big : "v" + i));
            }
            List<List<Object>> read = table.rows();
            assertThat(read).hasSize(RowsTable.IN_MEMORY + 3);
            assertThat(read.get(RowsTable.IN_MEMORY + 1).get(0)).isEqualTo(big);
            assertThat(read.get(RowsTable.IN_MEMORY + 2).get(0)).isEqualTo("v" + (RowsTable.IN_MEMORY + 2));
        }
    }

    @Test
    void aTableWhoseRowsNameFilesStaysOnTheHeap() throws Exception {
        List<Path> before = spills();
        try (RowsTable table = new RowsTable(List.of("a"))) {
            table.add(List.of("x"), List.of("images/x.jpg"), null);
            for (int i = 0; i < RowsTable.IN_MEMORY * 2; i++) {
                table.add(List.of("y" + i));
            }
            assertThat(spills()).hasSameElementsAs(before);
            assertThat(table.entries().get(0).files()).containsExactly("images/x.jpg");
            assertThatThrownBy(() -> table.add(List.of("a", "b"))).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
