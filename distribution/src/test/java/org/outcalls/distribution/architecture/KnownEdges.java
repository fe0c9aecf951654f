package org.outcalls.distribution.architecture;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A ratchet over package dependencies that break a rule today: the known ones are listed in a file
 * under {@code src/test/resources/architecture/}; a dependency not on the list fails, and so does a
 * listed one that no longer exists, so the list can only shrink. {@code -Darchitecture.record=true}
 * writes the present set instead (for a deliberate change, reviewed in the diff).
 */
final class KnownEdges {
    private static final Path DIR = Path.of("src", "test", "resources", "architecture");

    private KnownEdges() {
    }

    static void check(String file, String what, SortedSet<String> present) throws IOException {
        Path list = DIR.resolve(file);
        if (Boolean.getBoolean("architecture.record")) {
            List<String> lines = new ArrayList<>();
            lines.add("# " + what + " that exist today (ArchitectureIT): remove a line when its dependency goes");
            lines.addAll(present);
            Files.createDirectories(DIR);
            Files.write(list, lines, StandardCharsets.UTF_8);
            return;
        }
        SortedSet<String> known = new TreeSet<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                known.add(line.strip());
            }
        }
        SortedSet<String> added = new TreeSet<>(present);
        added.removeAll(known);
        SortedSet<String> gone = new TreeSet<>(known);
        gone.removeAll(present);
        if (!added.isEmpty()) {
            fail("new " + what + " (" + added.size() + "), not allowed:\n  " + String.join("\n  ", added));
        }
        if (!gone.isEmpty()) {
            fail(gone.size() + " of the known " + what + " are gone: take them off " + list + ":\n  "
                    + String.join("\n  ", gone));
        }
    }
}
