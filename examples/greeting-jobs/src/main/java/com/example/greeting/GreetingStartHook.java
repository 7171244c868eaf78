package com.example.greeting;

import io.workerrole.api.RoleHook;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.logging.Logger;

/**
 * Runs when the worker starts, before it takes any job: the place to check what the jobs need
 * (a folder, a remote service) and to refuse to start, returning false, when it is missing.
 */
@ApplicationScoped
public class GreetingStartHook implements RoleHook {

    private static final Logger LOG = Logger.getLogger(GreetingStartHook.class.getName());

    @Override
    public boolean onStart() {
        LOG.info("Greeting jobs ready");
        return true;
    }
}
