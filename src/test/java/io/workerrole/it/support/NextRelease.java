package io.workerrole.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A second build of the worker made from the packaged WAR at test time, without a second Maven
 * build: the same entries, the manifest's {@code Implementation-Version} (what
 * {@code platform.WarVersion} reads, and each heartbeat shows) changed, and more classes in
 * WEB-INF/classes, such as the handler of a job type the first build lacks.
 */
public final class NextRelease {

    private NextRelease() {
    }

    /**
     * Writes the second build as {@code to}.
     *
     * @param version the second build's version
     * @param classes test classes (compiled in test-classes) to add to WEB-INF/classes
     * @return {@code to}
     */
    public static Path of(Path war, Path to, String version, Class<?>... classes) throws IOException {
        boolean versioned = false;
        Files.createDirectories(to.toAbsolutePath().getParent());
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                    Manifest manifest = new Manifest(in);
                    manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
                    manifest.write(out);
                    versioned = true;
                } else {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            for (Class<?> added : classes) {
                out.putNextEntry(new ZipEntry("WEB-INF/classes/" + added.getName().replace('.', '/') + ".class"));
                try (InputStream compiled = added.getResourceAsStream(added.getSimpleName() + ".class")) {
                    if (compiled == null) {
                        throw new UncheckedIOException(new IOException("no class file for " + added.getName()));
                    }
                    compiled.transferTo(out);
                }
                out.closeEntry();
            }
        }
        if (!versioned) {
            throw new IllegalStateException(war + " has no " + JarFile.MANIFEST_NAME + " to take the version");
        }
        return to;
    }

    /** @return the version the WAR's manifest gives it, as {@code platform.WarVersion} reads it */
    public static String versionOf(Path war) throws IOException {
        try (JarFile jar = new JarFile(war.toFile())) {
            Manifest manifest = jar.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
        }
    }
}
