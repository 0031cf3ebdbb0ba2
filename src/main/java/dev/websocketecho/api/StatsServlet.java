package dev.websocketecho.api;

import dev.websocketecho.app.Deployment;
import dev.websocketecho.app.EchoApplication;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /api/stats}: the open and total sessions, the echo and topic counters and the connections the server
 * refused or closed to protect itself, as JSON.
 */
@WebServlet("/api/stats")
public class StatsServlet extends HttpServlet {

    private EchoApplication application;

    @Override
    public void init() {
        application = Deployment.of(getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(application.countersJson() + "\n");
    }
}
