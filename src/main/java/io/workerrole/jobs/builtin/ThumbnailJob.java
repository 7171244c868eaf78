package io.workerrole.jobs.builtin;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.NonRetryableJobException;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.platform.StorageFolder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code thumbnail}, the classic background job. Payload {@code {"path": "incoming/cat.png",
 * "width": 128}}: path (required) names an image in the storage folder, relative to it; width
 * (1 to 4096, default 128) is the thumbnail's width, its height keeps the aspect ratio. Writes
 * the thumbnail beside the image as {@code incoming/cat.thumb-128.png} (or {@code .jpg} for a
 * JPEG), through a temporary file moved into place atomically, so a half-written thumbnail is
 * never seen and a rerun simply replaces it. The result is {@code {"thumbnail":
 * "incoming/cat.thumb-128.png", "width": 128, "height": 64, "bytes": 1234}}. A path outside the
 * folder (by {@code ..} or a symbolic link), a missing file, one that is not an image, or an
 * image whose header claims more than {@code worker.thumbnail.maxPixels} pixels ends the job at
 * once: retrying cannot help. The size is read from the header before any pixel is decoded, so
 * a small file that would decode to gigabytes never reaches the heap.
 */
@ApplicationScoped
@JobType("thumbnail")
public class ThumbnailJob implements JobHandler {

    static final int DEFAULT_WIDTH = 128;
    static final int MAX_WIDTH = 4096;
    /** A very tall image scaled to a large width would not fit in memory. */
    static final long MAX_THUMBNAIL_PIXELS = (long) MAX_WIDTH * MAX_WIDTH;

    public static final String MAX_PIXELS = "worker.thumbnail.maxPixels";
    /**
     * The largest image decoded: 40 megapixels (a 7,700 × 5,200 photo). Decoded, an image takes
     * 3 to 4 bytes a pixel (up to 8 for a 16-bit PNG), so about 160 MB each, and
     * worker.concurrency.thumbnail (2) decode at once: about 320 MB of heap. A larger one ends
     * the job before any pixel is decoded: a file of 100 KB can claim 30,000 × 30,000 pixels.
     */
    static final int DEFAULT_MAX_PIXELS = 40_000_000;

    /** The payload. {@code width} is bound as a decimal so that 12.5 is refused, not truncated. */
    public record Request(String path, BigDecimal width) {
    }

    /** The result. */
    public record Result(String thumbnail, int width, int height, long bytes) {
    }

    @Inject
    StorageFolder storage;

    @Inject
    WorkerSettings settings;

    private Integer fixedMaxPixels;

    /** For CDI. */
    public ThumbnailJob() {
    }

    /** With a given storage folder and the default limit of pixels, for tests. */
    ThumbnailJob(StorageFolder storage) {
        this(storage, DEFAULT_MAX_PIXELS);
    }

    /** With a given storage folder and limit of pixels, for tests. */
    ThumbnailJob(StorageFolder storage, int maxPixels) {
        this.storage = storage;
        this.fixedMaxPixels = maxPixels;
    }

    @Override
    public Object handle(JobContext job) throws IOException {
        Request request = job.payloadAs(Request.class);
        if (request == null || request.path() == null || request.path().isBlank()) {
            throw new NonRetryableJobException("payload.path is required: an image in the storage folder");
        }
        int width = request.width() == null ? DEFAULT_WIDTH : (int) PayloadNumbers.wholeNumber(request.width(), "width", 1, MAX_WIDTH);
        Path original;
        try {
            original = storage.resolve(request.path());
        } catch (IllegalArgumentException e) {
            throw new NonRetryableJobException("payload.path: " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(original)) {
            throw new NonRetryableJobException("no file at " + request.path());
        }
        BufferedImage image = decode(original, request.path());
        long height = Math.max(1, Math.round((double) image.getHeight() * width / image.getWidth()));
        if (width * height > MAX_THUMBNAIL_PIXELS) {
            throw new NonRetryableJobException("a thumbnail of " + request.path() + " " + width + " wide would be "
                    + height + " high, more than " + MAX_THUMBNAIL_PIXELS + " pixels");
        }
        String format = isJpeg(original) ? "jpg" : "png";
        BufferedImage thumbnail = scale(image, width, (int) height, format.equals("png"));

        String name = baseName(original) + ".thumb-" + width + "." + format;
        Path target = original.resolveSibling(name);
        // a dot file beside the target: same file system for the atomic move, ignored by the storage trigger
        Path partial = original.resolveSibling("." + name + "." + UUID.randomUUID() + ".tmp");
        try {
            if (!ImageIO.write(thumbnail, format, partial.toFile())) {
                throw new IOException("no ImageIO writer for " + format);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        String relative = storage.relativize(target);
        job.log().info("thumbnail " + relative + " (" + width + "x" + height + ") of " + request.path());
        return new Result(relative, width, (int) height, Files.size(target));
    }

    /**
     * Decodes the image as {@code ImageIO.read} does, but reads its size from its header first
     * and refuses one of more than {@link #MAX_PIXELS} pixels before any pixel is decoded.
     */
    private BufferedImage decode(Path file, String path) throws IOException {
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            if (input == null) {
                throw new IOException("cannot open " + path + " as an image stream");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new NonRetryableJobException(path + " is not an image ImageIO can read");
            }
            ImageReader reader = readers.next();
            try {
                // ignoreMetadata: text chunks are not wanted, and can be compressed bombs of their own
                reader.setInput(input, true, true);
                int imageWidth = reader.getWidth(0);
                int imageHeight = reader.getHeight(0);
                long pixels = (long) imageWidth * imageHeight;
                int limit = maxPixels();
                if (pixels > limit) {
                    throw new NonRetryableJobException(path + " is " + imageWidth + "x" + imageHeight + " = " + pixels
                            + " pixels, more than " + MAX_PIXELS + " (" + limit + ")");
                }
                return reader.read(0, reader.getDefaultReadParam());
            } finally {
                reader.dispose();
            }
        }
    }

    private int maxPixels() {
        return fixedMaxPixels != null ? fixedMaxPixels : settings.readInt(MAX_PIXELS, DEFAULT_MAX_PIXELS, 1);
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
