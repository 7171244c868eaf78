package io.workerrole.scripts.control;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScriptEnvironmentTest {

    @Test
    void aTriggeredRunGetsWebJobsVariablesAndItsJob() {
        RunFolder run = new RunFolder("report", "20261204100000000-abcdef", Path.of("/data/report/20261204100000000-abcdef"));

        Map<String, String> environment = ScriptEnvironment.triggered(run, Path.of("/data/report/20261204100000000-abcdef/program"),
                List.of("sales", "q 4"), "job-7", 2);

        assertEquals("report", environment.get("WEBJOBS_NAME"));
        assertEquals("triggered", environment.get("WEBJOBS_TYPE"));
        assertEquals("/data/report", environment.get("WEBJOBS_DATA_PATH"), "the script's, shared by its runs");
        assertEquals("/data/report/20261204100000000-abcdef/program", environment.get("WEBJOBS_PATH"));
        assertEquals("/data/report/20261204100000000-abcdef/shutdown", environment.get("WEBJOBS_SHUTDOWN_FILE"));
        assertEquals("sales \"q 4\"", environment.get("WEBJOBS_COMMAND_ARGUMENTS"));
        assertEquals("job-7", environment.get("WORKER_JOB_ID"));
        assertEquals("2", environment.get("WORKER_ATTEMPT"));
    }

    @Test
    void argumentsWithSpacesOrQuotesAreQuotedInTheCommandLine() {
        assertEquals("plain \"a b\" \"say \\\"hi\\\"\" \"\"", ScriptEnvironment.commandLine(List.of("plain", "a b", "say \"hi\"", "")));
    }
}
