package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.WorkerServer;
import io.workerrole.testing.PngBomb;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage trigger, end to end with the thumbnail example: drop an image in the watched
 * folder, get a thumbnail beside it, and a job that says so. A file that is not an image ends
 * DEAD with a clear error; and hostile files (reliability R20) harm nothing: a symbolic link
 * leads no job out of the storage folder, and an image that would decode to 30,000 × 30,000
 * pixels ends DEAD at once, never decoded.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StorageTriggerIT {

    private static final String APP = "storage";
    private final Api api = new Api(APP);
    private final Path incoming = WorkerServer.serverDir().resolve("storage/incoming");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP);
    }

    @Test
    void droppingAnImageMakesAThumbnailBesideIt() throws IOException {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
        String name = "photo-" + UUID.randomUUID();
        drop(name + ".png", image(640, 480));

        Path thumbnail = incoming.resolve(name + ".thumb-128.png");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(thumbnail));
        BufferedImage written = ImageIO.read(thumbnail.toFile());
        assertEquals(128, written.getWidth());
        assertEquals(96, written.getHeight());

        JsonObject job = await().atMost(Duration.ofSeconds(10))
                .until(() -> thumbnailJob("incoming/" + name + ".png"), j -> j.isPresent() && "SUCCEEDED".equals(j.get().getString("state")))
                .orElseThrow();
        assertEquals("STORAGE", job.getString("source"));
        assertEquals("incoming/" + name + ".thumb-128.png", job.getJsonObject("result").getString("thumbnail"));
        assertEquals(Files.size(thumbnail), job.getJsonObject("result").getJsonNumber("bytes").longValue());
    }

    @Test
    void aFileThatIsNotAnImageEndsDeadWithAClearError() throws IOException {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
        String name = "fake-" + UUID.randomUUID() + ".png";
        drop(name, "this is not a PNG".getBytes());

        JsonObject job = await().atMost(Duration.ofSeconds(30))
                .until(() -> thumbnailJob("incoming/" + name), j -> j.isPresent() && "DEAD".equals(j.get().getString("state")))
                .orElseThrow();
        assertTrue(job.getString("error").contains("not an image"), job.toString());
        assertEquals(1, job.getInt("attempts"), "not retried: retrying cannot help");
    }

    @Test
    void aSymbolicLinkLeadsNoJobOutOfTheStorageFolder() throws IOException {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
        String name = "secret-" + UUID.randomUUID();
        Path outside = Files.createDirectories(WorkerServer.serverDir().resolve("outside-storage").resolve(name));
        Files.write(outside.resolve(name + ".png"), image(64, 48));
        Path links = Files.createDirectories(incoming.resolveSibling("links"));
        Files.createSymbolicLink(links.resolve(name + ".png"), outside.resolve(name + ".png"));
        Files.createSymbolicLink(incoming.resolve(name + ".png"), outside.resolve(name + ".png"));

        String id = api.submit("{\"type\": \"thumbnail\", \"payload\": {\"path\": \"links/" + name + ".png\"}}").json().getString("id");
        JsonObject dead = api.awaitState(id, "DEAD", Duration.ofSeconds(30));
        assertTrue(dead.getString("error").contains("outside the storage folder"), dead.toString());
        assertEquals(1, dead.getInt("attempts"), "not retried");

        String control = "control-" + UUID.randomUUID();
        drop(control + ".png", image(64, 48));
        await().atMost(Duration.ofSeconds(30)).until(() -> thumbnailJob("incoming/" + control + ".png").isPresent());
        assertTrue(thumbnailJob("incoming/" + name + ".png").isEmpty(), "the trigger, which took a file dropped after it, ignored the link");
        try (var written = Files.list(outside)) {
            assertEquals(List.of(name + ".png"), written.map(f -> f.getFileName().toString()).toList(), "nothing written outside");
        }
    }

    @Test
    void anImageThatWouldDecodeTo30000By30000PixelsEndsDeadAtOnceWithoutBeingDecoded() throws IOException {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
        String name = "bomb-" + UUID.randomUUID() + ".png";
        drop(name, PngBomb.bytes(PngBomb.SIDE, PngBomb.SIDE));

        JsonObject job = await().atMost(Duration.ofSeconds(30))
                .until(() -> thumbnailJob("incoming/" + name), j -> j.isPresent() && "DEAD".equals(j.get().getString("state")))
                .orElseThrow();
        assertTrue(job.getString("error").contains("30000x30000"), job.toString());
        assertTrue(job.getString("error").contains("worker.thumbnail.maxPixels"), job.toString());
        assertEquals(1, job.getInt("attempts"), "not retried");
        assertEquals(200, WorkerServer.health("live").status());
    }

    private Optional<JsonObject> thumbnailJob(String path) {
        List<JsonObject> jobs = api.allJobs("thumbnail");
        return jobs.stream().filter(j -> path.equals(j.getJsonObject("payload").getString("path", null))).findFirst();
    }

    /** Writes the file elsewhere first and moves it in, as a careful uploader does. */
    private void drop(String name, byte[] content) throws IOException {
        Files.createDirectories(incoming);
        Path staging = Files.createTempFile(incoming.getParent(), "upload", ".tmp");
        Files.write(staging, content);
        Files.move(staging, incoming.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] image(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLUE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }
}
