package io.workerrole.scripts.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgramChooserTest {

    /** Node is "installed" as bash, which every machine here has: the choice must not depend on the machine's node. */
    private static final String JAVA = Interpreters.defaults().java();
    private static final Interpreters WITH_NODE = new Interpreters("bash", "python3", "bash", JAVA);
    private static final Interpreters WITHOUT_NODE = new Interpreters("bash", "python3", "/nonexistent/bin/node", JAVA);

    @TempDir
    Path folder;

    private final ProgramChooser chooser = new ProgramChooser(WITH_NODE);

    @Test
    void eachTypeHasItsCommand() throws IOException {
        assertEquals(List.of("bash", path("a.sh")), only("a.sh").command());
        assertEquals(List.of("python3", "-u", path("a.py")), only("a.py").command());
        assertEquals(List.of("bash", path("a.js")), only("a.js").command());
        assertEquals(List.of(JAVA, "-jar", path("a.jar")), only("a.jar").command());
        assertEquals(List.of(path("a")), onlyExecutable("a").command());
    }

    @Test
    void theProgramIsAnAbsolutePathInTheFolder() throws IOException {
        ProgramChooser.Program program = only("report.py");

        assertEquals(folder.resolve("report.py").toAbsolutePath(), program.file());
        assertTrue(program.file().isAbsolute());
    }

    @Test
    void aRunFileComesBeforeFilesEarlierByName() throws IOException {
        file("a.sh");
        file("helper.py");
        file("run.py");

        assertEquals(path("run.py"), chooser.choose(folder).file().toString());
    }

    @Test
    void ofSeveralRunFilesTheFirstByTypeIsTheProgram() throws IOException {
        file("run.py");
        file("run.jar");
        file("run.sh");
        assertEquals(path("run.sh"), chooser.choose(folder).file().toString());

        Files.delete(folder.resolve("run.sh"));
        assertEquals(path("run.py"), chooser.choose(folder).file().toString());

        Files.delete(folder.resolve("run.py"));
        file("run.js");
        assertEquals(path("run.js"), chooser.choose(folder).file().toString());

        Files.delete(folder.resolve("run.js"));
        executable("run");
        assertEquals(path("run.jar"), chooser.choose(folder).file().toString());

        Files.delete(folder.resolve("run.jar"));
        assertEquals(path("run"), chooser.choose(folder).file().toString());
    }

    @Test
    void anUnsupportedRunFileIsPassedOver() throws IOException {
        file("run.txt");
        file("job.py");

        assertEquals(path("job.py"), chooser.choose(folder).file().toString());
    }

    @Test
    void withoutARunFileTheFirstSupportedFileByNameIsTheProgram() throws IOException {
        file("b.py");
        file("c.sh");
        file("a.txt");
        file("a.jar");

        assertEquals(path("a.jar"), chooser.choose(folder).file().toString());
    }

    @Test
    void aFileOfAKnownTypeComesBeforeAFileThatIsOnlyExecutable() throws IOException {
        executable("README.md");
        executable("backup");
        file("report.py");

        assertEquals(path("report.py"), chooser.choose(folder).file().toString());
    }

    @Test
    void anExecutableFileRunsByItselfWhenThereIsNothingElse() throws IOException {
        file("notes.txt");
        executable("sync-orders");

        ProgramChooser.Program program = chooser.choose(folder);

        assertEquals(List.of(path("sync-orders")), program.command());
    }

    @Test
    void extensionsAndTheRunNameCountWhateverTheirCase() throws IOException {
        file("a.sh");
        file("RUN.PY");

        assertEquals(List.of("python3", "-u", path("RUN.PY")), chooser.choose(folder).command());
    }

    @Test
    void settingsJobHiddenFilesAndFoldersAreNeverPrograms() throws IOException {
        executable("settings.job");
        executable(".run.sh");
        Files.createDirectory(folder.resolve("run.sh"));

        InvalidScriptException e = assertThrows(InvalidScriptException.class, () -> chooser.choose(folder));

        assertEquals("no program: put a run.sh, run.py, run.js or run.jar in the folder (or any .sh, .py, .js, .jar or"
                + " executable file; settings.job and hidden files are not programs); it has no other files", e.getMessage());
    }

    @Test
    void aFolderWithoutAProgramNamesTheFilesItHas() throws IOException {
        file("notes.txt");
        file("data.csv");

        InvalidScriptException e = assertThrows(InvalidScriptException.class, () -> chooser.choose(folder));

        assertTrue(e.getMessage().startsWith("no program: put a run.sh"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; its files are data.csv, notes.txt"), e.getMessage());
    }

    @Test
    void theListOfFilesIsBounded() throws IOException {
        for (int i = 0; i < ProgramChooser.MAX_LISTED_FILES + 2; i++) {
            file("f" + (char) ('a' + i) + ".txt");
        }

        InvalidScriptException e = assertThrows(InvalidScriptException.class, () -> chooser.choose(folder));

        assertTrue(e.getMessage().endsWith(", fj.txt, ..."), e.getMessage());
    }

    @Test
    void aJsProgramWithoutNodeIsAProblem() throws IOException {
        file("run.js");

        InvalidScriptException e = assertThrows(InvalidScriptException.class, () -> new ProgramChooser(WITHOUT_NODE).choose(folder));

        assertEquals("a .js program (run.js) needs /nonexistent/bin/node, which is not installed (not an executable file)",
                e.getMessage());
    }

    @Test
    void withoutNodeAnotherFileDoesNotRunInsteadOfTheJsProgram() throws IOException {
        file("run.js");
        file("helper.py");

        assertThrows(InvalidScriptException.class, () -> new ProgramChooser(WITHOUT_NODE).choose(folder));
    }

    @Test
    void anInterpreterNotOnThePathIsNamed() throws IOException {
        file("a.py");
        Interpreters noPython = new Interpreters("bash", "python-that-is-not-there", "node", "java");

        InvalidScriptException e = assertThrows(InvalidScriptException.class, () -> new ProgramChooser(noPython).choose(folder));

        assertEquals("a .py program (a.py) needs python-that-is-not-there, which is not installed (not found on the PATH)",
                e.getMessage());
    }

    @Test
    void aSymbolicLinkToAProgramElsewhereIsTheProgram(@TempDir Path elsewhere) throws IOException {
        Path target = Files.writeString(elsewhere.resolve("shared.py"), "print('hello')\n");
        Files.createSymbolicLink(folder.resolve("run.py"), target);

        assertEquals(path("run.py"), chooser.choose(folder).file().toString());
    }

    @Test
    void aBrokenSymbolicLinkIsNoProgram() throws IOException {
        Files.createSymbolicLink(folder.resolve("run.sh"), folder.resolve("gone.sh"));
        file("b.py");

        assertEquals(path("b.py"), chooser.choose(folder).file().toString());
    }

    @Test
    void aFolderThatIsGoneIsAProblem() {
        InvalidScriptException e = assertThrows(InvalidScriptException.class, () -> chooser.choose(folder.resolve("gone")));

        assertTrue(e.getMessage().startsWith("the folder cannot be read: NoSuchFileException "), e.getMessage());
    }

    private ProgramChooser.Program only(String name) throws IOException {
        Path file = file(name);
        try {
            return chooser.choose(folder);
        } finally {
            Files.delete(file);
        }
    }

    private ProgramChooser.Program onlyExecutable(String name) throws IOException {
        Path file = executable(name);
        try {
            return chooser.choose(folder);
        } finally {
            Files.delete(file);
        }
    }

    private Path file(String name) throws IOException {
        Path file = Files.writeString(folder.resolve(name), "");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    private Path executable(String name) throws IOException {
        Path file = Files.writeString(folder.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private String path(String name) {
        return folder.resolve(name).toAbsolutePath().toString();
    }
}
