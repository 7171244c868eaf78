package io.workerrole.pipelines.control;

/** A run was asked of a pipeline that is neither declared in code nor posted. */
public class NoSuchPipelineException extends InvalidPipelineException {

    public NoSuchPipelineException(String name) {
        super("no pipeline " + name);
    }
}
