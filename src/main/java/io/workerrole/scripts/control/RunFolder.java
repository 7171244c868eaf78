package io.workerrole.scripts.control;

import java.nio.file.Path;

/**
 * The folder of one run: {@code ${worker.scripts.dataDir}/NAME/RUN_ID/}, beside the script's
 * data folder's other files ({@code WEBJOBS_DATA_PATH} is the script's, shared by its runs).
 *
 * @param script the script's name
 * @param runId the run's id
 * @param path the run's folder
 */
record RunFolder(String script, String runId, Path path) {

    static final String OUTPUT_LOG = "output_log.txt";
    static final String RECORD = "run.json";

    /** @return the script's data folder, which outlives its runs */
    Path dataPath() {
        return path.getParent();
    }

    Path outputLog() {
        return path.resolve(OUTPUT_LOG);
    }

    Path record() {
        return path.resolve(RECORD);
    }

    /** @return the file holding a triggered run's job payload */
    Path payload() {
        return path.resolve("payload.json");
    }

    /** @return the file whose appearance asks the program to stop */
    Path shutdownFile() {
        return path.resolve("shutdown");
    }

    /** @return where the program's copy goes when it does not run in place */
    Path programCopy() {
        return path.resolve("program");
    }
}
