package dev.websocketecho.config;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * What the application must know of Tyrus, the WebSocket engine of Payara and GlassFish, where it behaves unlike the
 * others (README, deviations): whether it runs the application, and the size of its buffer for an incoming frame.
 */
public final class Tyrus {

    private Tyrus() {
    }

    /** Whether the container's WebSocket engine is Tyrus. */
    public static boolean runs(ServletContext context) {
        Object container = context.getAttribute(ServerContainer.class.getName());
        return container != null && container.getClass().getName().startsWith("org.glassfish.tyrus.");
    }

    /**
     * Sets how large a frame Tyrus buffers before it refuses it with 1011, for the connections opened from now on.
     * Tyrus reads its {@code org.glassfish.tyrus.servlet.incoming-buffer-size} context parameter only while its own
     * initializer runs, whose order among the application's is up to the container (GlassFish varies it), so this goes
     * through the engine's public {@code TyrusWebSocketEngine#setIncomingBufferSize} (Tyrus 2.1 and 2.2) instead.
     *
     * @throws ReflectiveOperationException when this Tyrus has no such method
     */
    public static void setFrameBufferSize(ServletContext context, int bytes) throws ReflectiveOperationException {
        Object container = context.getAttribute(ServerContainer.class.getName());
        Object engine = invoke(container, "getWebSocketEngine", new Class<?>[0]);
        invoke(engine, "setIncomingBufferSize", new Class<?>[] {int.class}, bytes);
    }

    /** Calls a public method through the nearest public class that has it: Tyrus' own classes may be private. */
    private static Object invoke(Object target, String name, Class<?>[] parameters, Object... arguments)
            throws ReflectiveOperationException {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            if (Modifier.isPublic(type.getModifiers())) {
                Method method = type.getMethod(name, parameters);
                try {
                    return method.invoke(target, arguments);
                } catch (InvocationTargetException e) {
                    throw new ReflectiveOperationException(name + " failed", e.getCause());
                }
            }
        }
        throw new NoSuchMethodException(target.getClass().getName() + "." + name);
    }
}
