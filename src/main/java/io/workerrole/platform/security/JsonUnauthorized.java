package io.workerrole.platform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * Gives the API's 401 answers a JSON body like every other error. Liberty answers a call
 * without (valid) credentials with its challenge ({@code WWW-Authenticate}) and an empty body;
 * the challenge is kept, the body says what to send.
 */
@WebFilter("/api/*")
public class JsonUnauthorized extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final String MESSAGE = "sign in: send the credentials (basic, or a bearer token where tokens are on) of a user "
            + "in the role this call needs: " + String.join(", ", Roles.ALL);

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        chain.doFilter(request, response);
        if (response.getStatus() == 401 && !response.isCommitted()) {
            response.resetBuffer();
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(JSON.createObjectBuilder()
                    .add("status", 401).add("error", "Unauthorized").add("message", MESSAGE).build().toString());
        }
    }
}
