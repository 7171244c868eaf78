package io.workerrole.api;

import java.util.Set;

/**
 * Semantic versioning of the API, judged from two signatures: a signature that lost or changed
 * a line (a handler compiled against the old one may break) needs a new major version (a new
 * minor one before 1.0, where the major version is 0); one that only gained lines needs a new
 * minor version. Versions are {@code MAJOR.MINOR.PATCH}, with or without {@code -SNAPSHOT}.
 */
record ApiVersionRule(String baselineVersion, String currentVersion) {

    /** @return why the current version does not fit the change, or null if it does */
    String violation(Set<String> removed, Set<String> added) {
        int[] was = parse(baselineVersion);
        int[] now = parse(currentVersion);
        if (!removed.isEmpty()) {
            boolean bumped = was[0] == 0 ? now[0] > 0 || now[1] > was[1] : now[0] > was[0];
            return bumped ? null : removed.size() + " line(s) of the API changed or went, which can break handlers built against "
                    + baselineVersion + ": the version must go to " + (was[0] == 0 ? "0." + (was[1] + 1) + ".0" : (was[0] + 1) + ".0.0")
                    + " (it is " + currentVersion + ")";
        }
        if (!added.isEmpty()) {
            boolean bumped = now[0] > was[0] || now[0] == was[0] && now[1] > was[1];
            return bumped ? null : added.size() + " line(s) were added to the API of " + baselineVersion
                    + ": the version must go to at least " + was[0] + "." + (was[1] + 1) + ".0 (it is " + currentVersion + ")";
        }
        return null;
    }

    private static int[] parse(String version) {
        String[] parts = version.replace("-SNAPSHOT", "").split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a MAJOR.MINOR.PATCH version: " + version);
        }
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }
}
