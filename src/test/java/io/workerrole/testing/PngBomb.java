package io.workerrole.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A decompression bomb: a valid PNG of about 100 KB whose header says 30,000 × 30,000 pixels
 * (900 million: gigabytes once decoded into an ordinary image). It is 1-bit grayscale, every
 * row zeros, which deflate packs about a thousand to one. The same writer makes small,
 * ordinary PNGs too, to show the file is a real image that only its size makes dangerous.
 */
public final class PngBomb {

    /** The bomb's width and height. */
    public static final int SIDE = 30_000;

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngBomb() {
    }

    /** Writes the 30,000 × 30,000 bomb (creating the file's folder) and returns the file. */
    public static Path write(Path file) throws IOException {
        return write(file, SIDE, SIDE);
    }

    /** Writes a black 1-bit grayscale PNG of the given size (creating the file's folder) and returns the file. */
    public static Path write(Path file, int width, int height) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.write(file, bytes(width, height));
        return file;
    }

    /** @return a black 1-bit grayscale PNG of the given size */
    public static byte[] bytes(int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(SIGNATURE);

        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream ihdr = new DataOutputStream(header);
        ihdr.writeInt(width);
        ihdr.writeInt(height);
        ihdr.writeByte(1); // bit depth
        ihdr.writeByte(0); // color type: grayscale
        ihdr.writeByte(0); // compression: deflate
        ihdr.writeByte(0); // filter method: adaptive
        ihdr.writeByte(0); // no interlace
        chunk(png, "IHDR", header.toByteArray());

        // Each row: its filter type (0, none) and width bits of pixels, packed eight to a byte.
        byte[] row = new byte[1 + (width + 7) / 8];
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try (OutputStream zlib = new DeflaterOutputStream(pixels, deflater, 64 * 1024)) {
            for (int y = 0; y < height; y++) {
                zlib.write(row);
            }
        } finally {
            deflater.end();
        }
        chunk(png, "IDAT", pixels.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** A chunk: length, type, data, and the CRC-32 of type and data. */
    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        DataOutputStream out = new DataOutputStream(png);
        out.writeInt(data.length);
        out.write(name);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }
}
