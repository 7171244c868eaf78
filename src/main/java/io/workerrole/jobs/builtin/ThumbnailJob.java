package io.workerrole.jobs.builtin;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.NonRetryableJobException;
import io.workerrole.storage.control.StorageFolder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * {@code thumbnail}, the classic background job: payload {@code {"path": "incoming/cat.png",
 * "width": 128}} names an image in the storage folder (width defaults to 128). Writes a
 * thumbnail of that width beside it ({@code incoming/cat.thumb-128.png}), atomically, so a
 * half-written thumbnail is never seen; the result is {@code {"thumbnail", "width", "height",
 * "bytes"}}. A missing file or one that is not an image ends the job at once: retrying cannot
 * help.
 */
@ApplicationScoped
@JobType("thumbnail")
public class ThumbnailJob implements JobHandler {

    static final int DEFAULT_WIDTH = 128;
    static final int MAX_WIDTH = 4096;

    /** The payload. */
    public record Request(String path, Integer width) {
    }

    /** The result. */
    public record Result(String thumbnail, int width, int height, long bytes) {
    }

    @Inject
    StorageFolder storage;

    /** For CDI. */
    public ThumbnailJob() {
    }

    ThumbnailJob(StorageFolder storage) {
        this.storage = storage;
    }

    @Override
    public Object handle(JobContext job) throws IOException {
        Request request = job.payloadAs(Request.class);
        if (request == null || request.path() == null) {
            throw new NonRetryableJobException("payload.path is required: an image in the storage folder");
        }
        int width = request.width() == null ? DEFAULT_WIDTH : request.width();
        if (width < 1 || width > MAX_WIDTH) {
            throw new NonRetryableJobException("payload.width must be a whole number from 1 to " + MAX_WIDTH);
        }
        Path original;
        try {
            original = storage.resolve(request.path());
        } catch (IllegalArgumentException e) {
            throw new NonRetryableJobException(e.getMessage(), e);
        }
        if (!Files.isRegularFile(original)) {
            throw new NonRetryableJobException("no file at " + request.path());
        }
        BufferedImage image = ImageIO.read(original.toFile());
        if (image == null) {
            throw new NonRetryableJobException(request.path() + " is not an image ImageIO can read");
        }
        String format = isJpeg(original) ? "jpg" : "png";
        int height = Math.max(1, Math.round(image.getHeight() * (float) width / image.getWidth()));
        BufferedImage thumbnail = scale(image, width, height, format.equals("png"));
        Path target = original.resolveSibling(baseName(original) + ".thumb-" + width + "." + format);
        Path partial = Files.createTempFile(original.getParent(), ".thumb-", "." + format);
        try {
            ImageIO.write(thumbnail, format, partial.toFile());
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        String relative = storage.relativize(target);
        job.log().info("thumbnail " + relative + " (" + width + "x" + height + ") of " + request.path());
        return new Result(relative, width, height, Files.size(target));
    }

    private static BufferedImage scale(BufferedImage image, int width, int height, boolean alpha) {
        BufferedImage scaled = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return scaled;
    }

    private static boolean isJpeg(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
