package io.omnipeer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** A CSV file: a header line and rows of plain values (commas inside a value become ';', so no quoting). */
final class Csv {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Csv(String... header) {
        this.header = List.of(header);
    }

    Csv add(Object... values) {
        rows.add(Arrays.stream(values).map(Csv::text).toList());
        return this;
    }

    private static String text(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.4f", d);
        }
        // Cells never carry the separator (labels are free text).
        return String.valueOf(v).replace(',', ';');
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (List<String> r : rows) {
            sb.append(String.join(",", r)).append('\n');
        }
        Files.writeString(file, sb.toString());
    }

    /** Reads a CSV written by {@link #write}: a list of rows, each a list of cells; the header is row 0. */
    static List<List<String>> read(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank())
                .map(l -> Arrays.asList(l.split(",", -1))).collect(Collectors.toList());
    }
}
