package io.workerrole.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Keeps the API artifact honest: its public signature is checked in ({@code src/api/signature.txt},
 * with the version it was taken at), and a build whose API differs fails unless the version
 * says so ({@link ApiVersionRule}). After a deliberate change, bump the version in pom.xml and
 * record the new signature: {@code mvn test -Dtest=ApiCompatibilityTest -Dapi.signature.write=true}.
 */
class ApiCompatibilityTest {

    private static final Path RECORDED = Path.of("src/api/signature.txt");
    private static final String VERSION_LINE = "version ";

    private final SortedSet<String> current = ApiSignature.ofPackageOf(Jobs.class);
    private final String version = System.getProperty("worker.version");

    @Test
    void theApiChangesOnlyWithItsVersion() throws IOException {
        assertNotNull(version, "the build passes its version as worker.version");
        if (Boolean.getBoolean("api.signature.write")) {
            write();
        }
        List<String> lines = Files.readAllLines(RECORDED).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        String baseline = lines.get(0).substring(VERSION_LINE.length());
        SortedSet<String> recorded = new TreeSet<>(lines.subList(1, lines.size()));

        SortedSet<String> removed = new TreeSet<>(recorded);
        removed.removeAll(current);
        SortedSet<String> added = new TreeSet<>(current);
        added.removeAll(recorded);
        String violation = new ApiVersionRule(baseline, version).violation(removed, added);
        assertNull(violation, () -> violation + "\n  went or changed:\n    " + String.join("\n    ", removed)
                + "\n  added:\n    " + String.join("\n    ", added)
                + "\nBump the version in pom.xml, then record the signature: mvn test -Dtest=ApiCompatibilityTest -Dapi.signature.write=true");
    }

    @Test
    void theApiNamesNoTypeOfTheWorkersInsides() {
        assertEquals(new TreeSet<>(), ApiSignature.foreignTypes(current),
                "the API artifact depends on nothing but the JDK, Jakarta EE and MicroProfile");
    }

    private void write() throws IOException {
        String release = version.replace("-SNAPSHOT", "");
        Files.writeString(RECORDED, "# The public API of io.workerrole.api (worker-role-api) as of version " + release + ".\n"
                + "# Checked by ApiCompatibilityTest; written by: mvn test -Dtest=ApiCompatibilityTest -Dapi.signature.write=true\n"
                + VERSION_LINE + release + "\n" + current.stream().collect(Collectors.joining("\n")) + "\n");
    }
}
