package io.workerrole.platform.rest;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * The error page of every answer the servlet container makes itself (web.xml's
 * {@code <error-page>}s): an unknown path, a method a static file does not take, a URL it
 * refuses, an exception out of a servlet. It answers the API's JSON error body
 * ({@link ErrorBody}) with the status and a fixed message per status, and never the exception,
 * its message or its class: Liberty's own pages show those, stack frames included, to anyone.
 * What went wrong is in the server's log, where Liberty writes it.
 */
@WebServlet(JsonErrorPage.PATH)
public class JsonErrorPage extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String PATH = "/error";
    private static final Map<Integer, String> MESSAGES = Map.of(
            400, "bad request: the URL or the request is not valid",
            401, "sign in: send the credentials of a user in the role this needs",
            403, "forbidden: the user is not in the role this needs",
            404, "nothing here: no resource at this path",
            405, "method not allowed on this path",
            500, "unexpected error; the server's log has the details");

    /** Every method: an error is dispatched with the request's own method, and HttpServlet would answer 405 to most. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 404;
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        // The body is JSON whatever the browser guesses, so that no text of the request in it is ever read as HTML.
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.getWriter().write(ErrorBody.json(status, MESSAGES.get(status)).toString());
    }
}
