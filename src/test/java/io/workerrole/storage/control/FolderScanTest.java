package io.workerrole.storage.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FolderScanTest {

    @TempDir
    Path folder;

    @TempDir
    Path elsewhere;

    @Test
    void aFileCountsOnceItHasStayedTheSameOverTwoScansAndIsReportedOnce() throws IOException {
        FolderScan scan = new FolderScan();
        Files.writeString(folder.resolve("a.png"), "x");

        assertEquals(Set.of(), scan.scan(folder, "*.png").keySet());
        assertEquals(Set.of(folder.resolve("a.png")), scan.scan(folder, "*.png").keySet());
        assertEquals(Set.of(), scan.scan(folder, "*.png").keySet());
    }

    @Test
    void symbolicLinksStartNothingWhereverTheyPoint() throws IOException {
        Path outside = Files.writeString(elsewhere.resolve("secret.png"), "x");
        Files.writeString(folder.resolve("real.png"), "x");
        StorageFolderTest.link(folder.resolve("out.png"), outside);
        StorageFolderTest.link(folder.resolve("in.png"), folder.resolve("real.png"));
        StorageFolderTest.link(folder.resolve("dangling.png"), elsewhere.resolve("nothing.png"));
        StorageFolderTest.link(folder.resolve("dir.png"), elsewhere);
        FolderScan scan = new FolderScan();

        scan.scan(folder, "*.png");

        assertEquals(Set.of(folder.resolve("real.png")), scan.scan(folder, "*.png").keySet());
    }

    @Test
    void thumbnailsAndDotFilesAreNotNewWork() throws IOException {
        Files.writeString(folder.resolve("cat.thumb-128.png"), "x");
        Files.writeString(folder.resolve(".cat.thumb-128.png.tmp.png"), "x");
        FolderScan scan = new FolderScan();

        scan.scan(folder, "*.png");

        assertEquals(Set.of(), scan.scan(folder, "*.png").keySet());
    }
}
