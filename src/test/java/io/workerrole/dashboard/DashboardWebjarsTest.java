package io.workerrole.dashboard;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The dashboard loads Alpine.js and uPlot from their webjars, which the WAR carries in WEB-INF/lib
 * and Liberty serves from the jars' META-INF/resources: the page names them with their versions
 * ({@code ../webjars/alpinejs/3.14.9/dist/cdn.min.js}). Each such file must be in the webjar of
 * the version the POM declares (the test's classpath is the POM's), so that a version bump in
 * the POM that the page does not follow fails here, not as a blank dashboard.
 */
class DashboardWebjarsTest {

    private static final Path PAGE = Path.of("src/main/webapp/dashboard/index.html");
    private static final Pattern WEBJAR_FILE = Pattern.compile("(?:src|href)=\"\\.\\./(webjars/[^\"]+)\"");

    @Test
    void everyWebjarFileThePageNamesIsInTheWebjarOfThePomsVersion() throws IOException {
        List<String> named = webjarFilesNamedBy(Files.readString(PAGE, StandardCharsets.UTF_8));

        assertEquals(List.of("webjars/uplot/" + version("uplot") + "/dist/uPlot.min.css",
                "webjars/uplot/" + version("uplot") + "/dist/uPlot.iife.min.js",
                "webjars/alpinejs/" + version("alpinejs") + "/dist/cdn.min.js"), named,
                "uPlot's stylesheet and script, then Alpine.js last, in the POM's versions");
        for (String file : named) {
            assertNotNull(getClass().getClassLoader().getResource("META-INF/resources/" + file),
                    PAGE + " names " + file + ", which no webjar of the POM's holds");
        }
    }

    /** @return the version of the webjar on the classpath, from its Maven metadata */
    private String version(String artifact) throws IOException {
        String properties = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(properties)) {
            assertNotNull(in, "the webjar org.webjars.npm:" + artifact + " is not a dependency");
            Properties loaded = new Properties();
            loaded.load(in);
            return loaded.getProperty("version");
        }
    }

    private static List<String> webjarFilesNamedBy(String html) {
        List<String> files = new ArrayList<>();
        Matcher matcher = WEBJAR_FILE.matcher(html);
        while (matcher.find()) {
            files.add(matcher.group(1));
        }
        return files;
    }
}
