package dev.websocketecho.limits;

import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.config.Tyrus;
import jakarta.servlet.ServletContext;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Sizes Tyrus' own buffer for an incoming frame from {@code echo.maxMessageBytes} when the application is deployed, so
 * that what one peer can make the server hold is bounded by the limit.
 * <p>
 * Tyrus (Payara, GlassFish) reads each frame whole into a buffer before the application sees any of it, growing it as
 * the frame arrives up to its configured size (4 MiB by default), and answers a larger frame with 1011
 * {@code Buffer overflow.} Sized from the limit, a frame larger than the limit is refused once the limit plus
 * {@link #TYRUS_READ_MARGIN} has arrived: a frame of up to the limit plus 1 MiB is read whole and answered with the
 * endpoint's 1009, and 64 KiB more leave room for the start of the frames after it (such as a pong), which Tyrus
 * reads into the same buffer. Other containers deliver a message in parts as it arrives.
 */
public final class FrameBufferSizing {

    /** The largest frame header: 2 bytes, a 64-bit length and a 4-byte mask. */
    private static final int FRAME_HEADER = 14;
    private static final int TYRUS_READ_MARGIN = 1024 * 1024 + 64 * 1024;

    private static final Logger LOG = System.getLogger(FrameBufferSizing.class.getName());

    private FrameBufferSizing() {
    }

    /** For a container whose WebSocket engine is Tyrus. */
    public static void apply(ServletContext context, long maxMessageBytes) {
        try {
            Tyrus.setFrameBufferSize(context, tyrusBufferBytes(maxMessageBytes));
        } catch (ReflectiveOperationException e) {
            LOG.log(Level.WARNING, "Could not size Tyrus' frame buffer from " + EchoSettings.MAX_MESSAGE_BYTES
                    + ": one peer may make the server hold a frame of up to Tyrus' own limit", e);
        }
    }

    /** The size of Tyrus' buffer for a frame, from the message limit. */
    public static int tyrusBufferBytes(long maxMessageBytes) {
        return Math.toIntExact(maxMessageBytes + FRAME_HEADER + TYRUS_READ_MARGIN);
    }
}
