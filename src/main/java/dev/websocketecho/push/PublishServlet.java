package dev.websocketecho.push;

import dev.websocketecho.app.ApplicationServlet;
import dev.websocketecho.app.EchoApplication;
import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.config.PublishToken;
import dev.websocketecho.message.Message;
import dev.websocketecho.topics.TopicName;
import dev.websocketecho.topics.Topics.NotPublishedException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /api/topics/{topic}}: publishes the request's body to the topic, {@code text/*} as a text message and
 * {@code application/octet-stream} as a binary one, and answers 202 with how many subscribers of this instance it was
 * queued for (in a cluster, every member's subscribers receive it too), or 503 when the cluster's data grid did not
 * take it. It
 * takes {@code Authorization: Bearer} with {@code echo.publishToken}; without that setting the API is off, so that a
 * development server is no open relay.
 */
@WebServlet("/api/topics/*")
public class PublishServlet extends ApplicationServlet {

    private static final String PREFIX = "/api/topics/";

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EchoApplication application = application();
        EchoSettings settings = application.settings();
        Optional<PublishToken> token = settings.publishToken();
        if (token.isEmpty()) {
            answer(response, HttpServletResponse.SC_FORBIDDEN, "The publish API is off: set "
                    + EchoSettings.PUBLISH_TOKEN + " (" + EchoSettings.environmentName(EchoSettings.PUBLISH_TOKEN)
                    + ") to turn it on.");
            return;
        }
        if (!token.get().matches(bearer(request.getHeader("Authorization")))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"websocket-echo\"");
            answer(response, HttpServletResponse.SC_UNAUTHORIZED, "Publishing takes Authorization: Bearer with the"
                    + " server's publish token.");
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String topic = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        if (!TopicName.isValid(topic)) {
            answer(response, HttpServletResponse.SC_BAD_REQUEST, "Invalid topic name: " + TopicName.RULE + ".");
            return;
        }
        if (TopicName.isReadOnly(topic)) {
            answer(response, HttpServletResponse.SC_FORBIDDEN, "Topic " + topic + " is read-only.");
            return;
        }
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        boolean text = type.startsWith("text/");
        if (!text && !type.startsWith("application/octet-stream")) {
            answer(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "Publish text/* as a text message or"
                    + " application/octet-stream as a binary one.");
            return;
        }
        long limit = settings.maxMessageBytes();
        byte[] body = request.getContentLengthLong() > limit ? null : readAtMost(request.getInputStream(), limit);
        if (body == null) {
            answer(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Message too big: the limit is " + limit
                    + " bytes.");
            return;
        }
        Message<?> message;
        if (text) {
            Optional<String> decoded = decode(body, request.getCharacterEncoding());
            if (decoded.isEmpty()) {
                answer(response, HttpServletResponse.SC_BAD_REQUEST, "The body is not valid text in its charset.");
                return;
            }
            message = new Message<>(decoded.get(), decoded.get().getBytes(StandardCharsets.UTF_8).length);
        } else {
            message = new Message<>(ByteBuffer.wrap(body), body.length);
        }
        int subscribers;
        try {
            subscribers = application.topics().publish(topic, message);
        } catch (NotPublishedException e) {
            answer(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Not published: " + e.getMessage() + ".");
            return;
        }
        answerJson(response, HttpServletResponse.SC_ACCEPTED, "{\"subscribers\":" + subscribers + "}");
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    /** @return the body, or {@code null} when it is longer than {@code limit} */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        byte[] body = in.readNBytes(Math.toIntExact(limit));
        return in.read() < 0 ? body : null;
    }

    /** Strictly, in the request's charset or else UTF-8: text that does not decode is refused, not mangled. */
    private static Optional<String> decode(byte[] body, String charsetName) {
        try {
            Charset charset = charsetName == null ? StandardCharsets.UTF_8 : Charset.forName(charsetName);
            return Optional.of(charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void answer(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(message + "\n");
    }
}
