package io.workerrole.it.support;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Test-only window into a deployment: GET lists the {@link Journal}, one entry a line; POST
 * {@code ?startDecision=true|false} releases the {@link GatedStartHook}.
 */
@WebServlet("/probe")
public class ProbeServlet extends HttpServlet {

    @Inject
    Journal journal;

    @Inject
    StartGate gate;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().print(String.join("\n", journal.entries()));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        gate.decide(Boolean.parseBoolean(request.getParameter("startDecision")));
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
