package dev.websocketecho.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** A servlet of the application: it finds the application of its deployment as it starts. */
public abstract class ApplicationServlet extends HttpServlet {

    private transient EchoApplication application;

    @Override
    public void init() {
        application = Deployment.of(getServletContext());
    }

    /** The application, or {@code null} when the deployment failed before it was made. */
    protected EchoApplication application() {
        return application;
    }

    /** Answers with a JSON body that no cache keeps: every answer is of now. */
    protected static void answerJson(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(json + "\n");
    }
}
