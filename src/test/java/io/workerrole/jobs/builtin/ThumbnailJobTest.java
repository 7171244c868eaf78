package io.workerrole.jobs.builtin;

import io.workerrole.api.NonRetryableJobException;
import io.workerrole.storage.control.StorageFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThumbnailJobTest {

    @TempDir
    Path storage;

    private ThumbnailJob job() {
        return new ThumbnailJob(new StorageFolder(storage));
    }

    @Test
    void writesAThumbnailOfTheGivenWidthBesideTheImage() throws IOException {
        Files.createDirectories(storage.resolve("incoming"));
        ImageIO.write(new BufferedImage(400, 200, BufferedImage.TYPE_INT_RGB), "png", storage.resolve("incoming/cat.png").toFile());

        Object result = job().handle(new FakeJobContext("{\"path\": \"incoming/cat.png\", \"width\": 100}"));

        Path thumbnail = storage.resolve("incoming/cat.thumb-100.png");
        BufferedImage written = ImageIO.read(thumbnail.toFile());
        assertEquals(100, written.getWidth());
        assertEquals(50, written.getHeight());
        assertEquals(new ThumbnailJob.Result("incoming/cat.thumb-100.png", 100, 50, Files.size(thumbnail)), result);
        try (var files = Files.list(storage.resolve("incoming"))) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void aFileThatIsNotAnImageIsNotRetried() throws IOException {
        Files.writeString(storage.resolve("fake.png"), "not an image");
        NonRetryableJobException e = assertThrows(NonRetryableJobException.class,
                () -> job().handle(new FakeJobContext("{\"path\": \"fake.png\"}")));
        assertTrue(e.getMessage().contains("not an image"));
    }

    @Test
    void pathsOutsideTheStorageFolderAreRefused() {
        NonRetryableJobException e = assertThrows(NonRetryableJobException.class,
                () -> job().handle(new FakeJobContext("{\"path\": \"../outside.png\"}")));
        assertTrue(e.getMessage().contains("outside the storage folder"));
    }

    @Test
    void aMissingFileIsNotRetried() {
        NonRetryableJobException e = assertThrows(NonRetryableJobException.class,
                () -> job().handle(new FakeJobContext("{\"path\": \"nothing.png\"}")));
        assertTrue(e.getMessage().contains("no file at nothing.png"));
    }
}
