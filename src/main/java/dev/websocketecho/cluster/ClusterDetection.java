package dev.websocketecho.cluster;

import dev.websocketecho.message.Message;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.BiConsumer;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Finds the data grid of the container at deployment: Payara Server and Payara Micro publish their Hazelcast instance
 * at {@value #JNDI_NAME}. Payara Micro runs it unless started with {@code --nohazelcast}, as the development run is;
 * other containers have none, and their topics stay local to the instance.
 */
public final class ClusterDetection {

    static final String JNDI_NAME = "payara/Hazelcast";
    private static final Logger LOG = System.getLogger(ClusterDetection.class.getName());

    private ClusterDetection() {
    }

    /**
     * @param maxMessageBytes the largest message, which sizes what the grid holds
     * @param deliver         delivers a message of the grid to this instance's subscribers of its topic
     */
    public static Optional<Cluster> join(long maxMessageBytes, BiConsumer<String, Message<?>> deliver) {
        Object grid;
        try {
            grid = new InitialContext().lookup(JNDI_NAME);
        } catch (NamingException | RuntimeException e) {
            return local("no data grid at " + JNDI_NAME);
        }
        try {
            if (!(grid instanceof com.hazelcast.core.HazelcastInstance hazelcast)
                    || !hazelcast.getLifecycleService().isRunning()) {
                return local("the data grid at " + JNDI_NAME + " is not running");
            }
            Cluster cluster = new HazelcastCluster(hazelcast, maxMessageBytes, deliver);
            LOG.log(Level.INFO, "Topics reach every member of the {0}", cluster.describe());
            return Optional.of(cluster);
        } catch (LinkageError e) {
            return local("the application cannot see the data grid's classes (" + e + ")");
        }
    }

    private static Optional<Cluster> local(String why) {
        LOG.log(Level.INFO, "Topics stay local to this instance: {0}", why);
        return Optional.empty();
    }
}
