package io.workerrole.jobs.control;

import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Finds the classes marked {@link JobType} in the application's bean archives (the jars and
 * folders with a {@code META-INF/beans.xml}, such as a handler library) that CDI did not make
 * beans: in a bean archive of the usual "annotated" kind, a class without a scope annotation is
 * not a bean, and its jobs would wait for ever for a handler nobody would be told is missing.
 * Finds too the classes marked with another copy of the API than the worker's: a handler jar in
 * a common library with the API jar beside it, under the full WAR, which loads its own copy first.
 */
final class UndiscoveredHandlers {

    private static final Logger LOG = Logger.getLogger(UndiscoveredHandlers.class.getName());
    /** How a class file that carries (or names) the annotation spells its type. */
    private static final byte[] MARK = ("L" + JobType.class.getName().replace('.', '/') + ";").getBytes(StandardCharsets.UTF_8);

    private UndiscoveredHandlers() {
    }

    /**
     * @param notBeans  classes with {@code @JobType} that implement {@link JobHandler} but are not beans
     * @param otherApis classes with a {@code @JobType} of another copy of the API than the worker's
     */
    record Findings(Set<String> notBeans, Set<String> otherApis) {
    }

    /**
     * @param beanClasses the classes that are beans
     */
    static Findings among(ClassLoader loader, Set<Class<?>> beanClasses) {
        Set<String> beanNames = new TreeSet<>();
        beanClasses.forEach(c -> beanNames.add(c.getName()));
        Findings found = new Findings(new TreeSet<>(), new TreeSet<>());
        for (String name : classesMarked(loader)) {
            if (beanNames.contains(name)) {
                continue;
            }
            try {
                Class<?> type = Class.forName(name, false, loader);
                if (type.isAnnotationPresent(JobType.class)) {
                    if (JobHandler.class.isAssignableFrom(type)) {
                        found.notBeans().add(name);
                    }
                } else if (Stream.of(type.getAnnotations()).anyMatch(a -> a.annotationType().getName().equals(JobType.class.getName()))) {
                    found.otherApis().add(name);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.log(Level.FINE, "Could not look at " + name, e);
            }
        }
        return found;
    }

    private static List<String> classesMarked(ClassLoader loader) {
        List<String> names = new ArrayList<>();
        try {
            for (URL beansXml : Collections.list(loader.getResources("META-INF/beans.xml"))) {
                archiveOf(beansXml).ifPresent(archive -> names.addAll(marked(archive)));
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not list the bean archives to look for handlers that are not beans", e);
        }
        return names;
    }

    /** @return the jar or folder of a META-INF/beans.xml: jar:file:/x.jar!/META-INF/beans.xml (or wsjar:), file:/dir/META-INF/beans.xml */
    private static Optional<Path> archiveOf(URL beansXml) {
        String url = beansXml.toString();
        try {
            if (url.startsWith("file:")) {
                return Optional.of(Path.of(beansXml.toURI()).getParent().getParent());
            }
            int bang = url.indexOf("!/");
            int file = url.indexOf("file:");
            if (bang > 0 && file >= 0 && file < bang) {
                return Optional.of(Path.of(URI.create(url.substring(file, bang))));
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "Not a jar or folder: " + url, e);
        }
        return Optional.empty();
    }

    private static List<String> marked(Path archive) {
        List<String> names = new ArrayList<>();
        try {
            if (Files.isDirectory(archive)) {
                try (Stream<Path> files = Files.walk(archive)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                        if (contains(Files.readAllBytes(file))) {
                            names.add(className(archive.relativize(file).toString().replace('\\', '/')));
                        }
                    }
                }
            } else if (Files.isRegularFile(archive)) {
                try (JarFile jar = new JarFile(archive.toFile())) {
                    for (JarEntry entry : Collections.list(jar.entries())) {
                        if (entry.getName().endsWith(".class")) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                if (contains(in.readAllBytes())) {
                                    names.add(className(entry.getName()));
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not look for handlers in " + archive, e);
        }
        return names;
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }

    private static boolean contains(byte[] bytes) {
        outer:
        for (int i = 0; i <= bytes.length - MARK.length; i++) {
            for (int j = 0; j < MARK.length; j++) {
                if (bytes[i + j] != MARK[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
