package io.workerrole.storage.control;

import io.workerrole.platform.StorageFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class StorageFolderTest {

    @TempDir
    Path storage;

    @TempDir
    Path elsewhere;

    private StorageFolder folder() {
        return new StorageFolder(storage);
    }

    /** Creates a symbolic link, or skips the test where the file system or the user may not. */
    static void link(Path link, Path target) throws IOException {
        try {
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "no symbolic links here: " + e);
        }
    }

    private void assertOutside(String relative) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> folder().resolve(relative), relative);
        assertTrue(e.getMessage().contains("outside the storage folder"), e.getMessage());
    }

    @Test
    void aPathInsideResolvesWhetherOrNotItExistsYet() throws IOException {
        Files.createDirectories(storage.resolve("incoming"));
        Files.writeString(storage.resolve("incoming/cat.png"), "x");

        assertEquals(storage.resolve("incoming/cat.png"), folder().resolve("incoming/cat.png"));
        assertEquals(storage.resolve("incoming/new/deeper/a.png"), folder().resolve("incoming/new/deeper/a.png"));
        assertEquals(storage.resolve("a.png"), folder().resolve("incoming/../a.png"));
    }

    @Test
    void absolutePathsAndDotDotOutAreRefused() {
        assertOutside("../outside.png");
        assertOutside("incoming/../../outside.png");
        assertOutside(elsewhere.resolve("a.png").toAbsolutePath().toString());
        assertThrows(IllegalArgumentException.class, () -> folder().resolve(" "));
    }

    @Test
    void aSymbolicLinkToAFileOutsideIsRefused() throws IOException {
        Path secret = Files.writeString(elsewhere.resolve("secret.png"), "x");
        link(storage.resolve("incoming/cat.png"), secret);

        assertOutside("incoming/cat.png");
    }

    @Test
    void aSymbolicLinkToAFolderOutsideIsRefusedForWhatIsInItAndWhatWouldBeCreatedThere() throws IOException {
        Files.writeString(elsewhere.resolve("a.png"), "x");
        link(storage.resolve("incoming/linked"), elsewhere);

        assertOutside("incoming/linked");
        assertOutside("incoming/linked/a.png");
        assertOutside("incoming/linked/not-yet.png");
        assertOutside("incoming/linked/new/folder/not-yet.png");
    }

    @Test
    void aSymbolicLinkToNothingIsRefusedRatherThanWrittenThrough() throws IOException {
        link(storage.resolve("incoming/dangling.png"), elsewhere.resolve("not-there.png"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> folder().resolve("incoming/dangling.png"));
        assertTrue(e.getMessage().contains("outside the storage folder"), e.getMessage());
    }

    @Test
    void aSymbolicLinkThatStaysInsideIsFollowed() throws IOException {
        Files.createDirectories(storage.resolve("originals"));
        Files.writeString(storage.resolve("originals/cat.png"), "x");
        link(storage.resolve("incoming/cat.png"), storage.resolve("originals/cat.png"));
        link(storage.resolve("incoming/all"), Path.of("../originals"));

        assertEquals(storage.resolve("incoming/cat.png"), folder().resolve("incoming/cat.png"));
        assertEquals(storage.resolve("incoming/all/cat.png"), folder().resolve("incoming/all/cat.png"));
    }

    @Test
    void theFolderItselfMayBeReachedThroughALink() throws IOException {
        Path real = Files.createDirectories(elsewhere.resolve("real-storage/incoming"));
        Files.writeString(real.resolve("cat.png"), "x");
        Path linkedRoot = storage.resolve("storage");
        link(linkedRoot, elsewhere.resolve("real-storage"));
        StorageFolder linked = new StorageFolder(linkedRoot);

        assertEquals(linkedRoot.resolve("incoming/cat.png"), linked.resolve("incoming/cat.png"));
        assertEquals("incoming/cat.png", linked.relativize(linked.resolve("incoming/cat.png")));
        assertThrows(IllegalArgumentException.class, () -> linked.resolve("../storage-sibling.png"));
    }

    @Test
    void aFolderThatDoesNotExistYetHoldsNoLinks() {
        StorageFolder missing = new StorageFolder(storage.resolve("not/yet"));

        assertEquals(storage.resolve("not/yet/incoming/a.png"), missing.resolve("incoming/a.png"));
        assertThrows(IllegalArgumentException.class, () -> missing.resolve("../a.png"));
    }
}
