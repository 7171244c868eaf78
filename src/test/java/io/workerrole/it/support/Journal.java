package io.workerrole.it.support;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** What the test beans did, in order, for tests to read through {@link ProbeServlet}. */
@ApplicationScoped
public class Journal {

    private final List<String> entries = new ArrayList<>();

    public synchronized void record(String entry) {
        entries.add(entry);
    }

    public synchronized List<String> entries() {
        return List.copyOf(entries);
    }
}
