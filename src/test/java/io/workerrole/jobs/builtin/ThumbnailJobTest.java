package io.workerrole.jobs.builtin;

import io.workerrole.api.NonRetryableJobException;
import io.workerrole.platform.StorageFolder;
import io.workerrole.testing.PngBomb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThumbnailJobTest {

    @TempDir
    Path storage;

    private ThumbnailJob job() {
        return new ThumbnailJob(new StorageFolder(storage));
    }

    private Path image(String relative, int width, int height, String format) throws IOException {
        Path file = storage.resolve(relative);
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), format, file.toFile()));
        return file;
    }

    @Test
    void writesAThumbnailOfTheGivenWidthBesideTheImage() throws IOException {
        image("incoming/cat.png", 400, 200, "png");

        Object result = job().handle(new FakeJobContext("{\"path\": \"incoming/cat.png\", \"width\": 100}"));

        Path thumbnail = storage.resolve("incoming/cat.thumb-100.png");
        assertTrue(Files.isRegularFile(thumbnail));
        BufferedImage written = ImageIO.read(thumbnail.toFile());
        assertEquals(100, written.getWidth());
        assertEquals(50, written.getHeight());
        assertEquals(new ThumbnailJob.Result("incoming/cat.thumb-100.png", 100, 50, Files.size(thumbnail)), result);
        try (var files = Files.list(storage.resolve("incoming"))) {
            assertEquals(List.of("cat.png", "cat.thumb-100.png"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "no temporary file left behind");
        }
    }

    @Test
    void theDefaultWidthIs128AndARerunReplacesTheThumbnail() throws IOException {
        image("a.png", 256, 512, "png");

        Object first = job().handle(new FakeJobContext("{\"path\": \"a.png\"}"));
        Path thumbnail = storage.resolve("a.thumb-128.png");
        assertEquals(new ThumbnailJob.Result("a.thumb-128.png", 128, 256, Files.size(thumbnail)), first);

        Files.writeString(thumbnail, "stale");
        assertEquals(first, job().handle(new FakeJobContext("{\"path\": \"a.png\"}")));
        assertEquals(256, ImageIO.read(thumbnail.toFile()).getHeight());
    }

    @Test
    void aJpegGetsAJpegThumbnail() throws IOException {
        image("photo.jpeg", 300, 100, "jpg");

        ThumbnailJob.Result result = (ThumbnailJob.Result) job().handle(new FakeJobContext("{\"path\": \"photo.jpeg\", \"width\": 30}"));

        assertEquals("photo.thumb-30.jpg", result.thumbnail());
        assertEquals(10, result.height());
        assertEquals("JPEG", ImageIO.getImageReaders(ImageIO.createImageInputStream(storage.resolve("photo.thumb-30.jpg").toFile()))
                .next().getFormatName().toUpperCase());
    }

    @Test
    void theThumbnailGetsTheFolderDefaultPermissionsNotThoseOfAPrivateTempFile() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        image("p.png", 20, 20, "png");
        Path plain = Files.createFile(storage.resolve("plain.txt"));

        job().handle(new FakeJobContext("{\"path\": \"p.png\", \"width\": 10}"));

        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(storage.resolve("p.thumb-10.png")));
    }

    @Test
    void aFileThatIsNotAnImageIsNotRetried() throws IOException {
        Files.writeString(storage.resolve("fake.png"), "not an image");
        NonRetryableJobException e = assertThrows(NonRetryableJobException.class,
                () -> job().handle(new FakeJobContext("{\"path\": \"fake.png\"}")));
        assertTrue(e.getMessage().contains("not an image"), e.getMessage());
    }

    @Test
    void pathsOutsideTheStorageFolderAreRefused() {
        NonRetryableJobException e = assertThrows(NonRetryableJobException.class,
                () -> job().handle(new FakeJobContext("{\"path\": \"../outside.png\"}")));
        assertTrue(e.getMessage().contains("outside the storage folder"), e.getMessage());
    }

    @Test
    void aSymbolicLinkOutOfTheFolderIsRefusedAndNothingIsWrittenOutside(@TempDir Path elsewhere) throws IOException {
        Path secret = elsewhere.resolve("secret.png");
        assertTrue(ImageIO.write(new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB), "png", secret.toFile()));
        Files.createDirectories(storage.resolve("incoming"));
        try {
            Files.createSymbolicLink(storage.resolve("incoming/cat.png"), secret);
            Files.createSymbolicLink(storage.resolve("incoming/out"), elsewhere);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "no symbolic links here: " + e);
        }

        for (String path : new String[] {"incoming/cat.png", "incoming/out/secret.png"}) {
            NonRetryableJobException e = assertThrows(NonRetryableJobException.class,
                    () -> job().handle(new FakeJobContext("{\"path\": \"" + path + "\", \"width\": 10}")), path);
            assertTrue(e.getMessage().contains("outside the storage folder"), e.getMessage());
        }
        try (var files = Files.list(elsewhere)) {
            assertEquals(List.of("secret.png"), files.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void aMissingFileIsNotRetried() {
        NonRetryableJobException e = assertThrows(NonRetryableJobException.class,
                () -> job().handle(new FakeJobContext("{\"path\": \"nothing.png\"}")));
        assertTrue(e.getMessage().contains("no file at nothing.png"), e.getMessage());
    }

    @Test
    void badPayloadsNameTheField() {
        for (String payload : new String[] {"{}", "{\"path\": \" \"}", "{\"path\": {}}"}) {
            NonRetryableJobException e = assertThrows(NonRetryableJobException.class, () -> job().handle(new FakeJobContext(payload)), payload);
            assertTrue(e.getMessage().contains("path"), e.getMessage());
        }
        for (String width : new String[] {"0", "4097", "12.5", "\"wide\""}) {
            NonRetryableJobException e = assertThrows(NonRetryableJobException.class,
                    () -> job().handle(new FakeJobContext("{\"path\": \"a.png\", \"width\": " + width + "}")), width);
            assertTrue(e.getMessage().contains("width"), e.getMessage());
        }
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeaderAtOnceAndNotRetried() throws IOException {
        Path bomb = PngBomb.write(storage.resolve("incoming/bomb.png"));
        assertTrue(Files.size(bomb) < 200_000, "a small file: " + Files.size(bomb) + " bytes");

        // Decoding it would take minutes and gigabytes: refusing it from its header takes milliseconds.
        NonRetryableJobException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(NonRetryableJobException.class,
                () -> job().handle(new FakeJobContext("{\"path\": \"incoming/bomb.png\"}"))));

        assertEquals("incoming/bomb.png is 30000x30000 = 900000000 pixels, more than worker.thumbnail.maxPixels (40000000)", e.getMessage());
        try (var files = Files.list(storage.resolve("incoming"))) {
            assertEquals(List.of("bomb.png"), files.map(f -> f.getFileName().toString()).toList(), "no thumbnail, no temporary file");
        }
    }

    @Test
    void anImageOfExactlyTheLimitIsDecodedAndOnePixelMoreIsNot() throws IOException {
        image("limit.png", 400, 200, "png");
        image("over.png", 401, 200, "png");
        ThumbnailJob limited = new ThumbnailJob(new StorageFolder(storage), 400 * 200);

        Object result = limited.handle(new FakeJobContext("{\"path\": \"limit.png\", \"width\": 100}"));
        assertEquals(new ThumbnailJob.Result("limit.thumb-100.png", 100, 50, Files.size(storage.resolve("limit.thumb-100.png"))), result);

        NonRetryableJobException e = assertThrows(NonRetryableJobException.class,
                () -> limited.handle(new FakeJobContext("{\"path\": \"over.png\", \"width\": 100}")));
        assertEquals("over.png is 401x200 = 80200 pixels, more than worker.thumbnail.maxPixels (80000)", e.getMessage());
    }

    @Test
    void aSmallPngWrittenLikeTheBombIsAnOrdinaryImage() throws IOException {
        PngBomb.write(storage.resolve("small-bomb.png"), 300, 150);

        Object result = job().handle(new FakeJobContext("{\"path\": \"small-bomb.png\", \"width\": 30}"));

        assertEquals(new ThumbnailJob.Result("small-bomb.thumb-30.png", 30, 15, Files.size(storage.resolve("small-bomb.thumb-30.png"))), result);
        BufferedImage original = ImageIO.read(storage.resolve("small-bomb.png").toFile());
        assertEquals(300, original.getWidth());
        assertEquals(150, original.getHeight());
        assertEquals(0xFF000000, original.getRGB(299, 149), "black");
    }

    @Test
    void aThumbnailTooLargeToHoldIsRefused() throws IOException {
        image("tall.png", 1, 5000, "png");
        NonRetryableJobException e = assertThrows(NonRetryableJobException.class,
                () -> job().handle(new FakeJobContext("{\"path\": \"tall.png\", \"width\": 4096}")));
        assertTrue(e.getMessage().contains("pixels"), e.getMessage());
    }
}
