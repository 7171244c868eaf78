package io.workerrole.jobs.control;

import io.workerrole.jobs.boundary.FleetTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which job types some live server of the fleet runs: this server's own types answered from
 * memory ({@link ServerTypes}), the others' from their heartbeats ({@link FleetTypes}, cached for
 * a moment, so that the intake's hot path does not ask the store for each job). A job is
 * accepted when its type runs somewhere, though perhaps not here: a server of one role takes in
 * work for another, and the claims route it. On Derby (one server) the fleet is this server.
 */
@ApplicationScoped
public class TypesInFleet {

    @Inject
    ServerTypes server;

    @Inject
    FleetTypes others;

    /** @return whether this server, or another live one, runs jobs of the type */
    public boolean runsSomewhere(String type) {
        return server.runs(type) || others.otherServersTypes().contains(type);
    }

    /** @return the types the live servers run, this one's included, in alphabetical order */
    public SortedSet<String> all() {
        SortedSet<String> all = new TreeSet<>(server.types());
        all.addAll(others.otherServersTypes());
        return Collections.unmodifiableSortedSet(all);
    }
}
