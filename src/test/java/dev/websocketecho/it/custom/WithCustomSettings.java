package dev.websocketecho.it.custom;

import dev.websocketecho.it.DeployedWar;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A test of this package: it needs the container to run with the settings that the {@code custom-settings} execution of
 * {@code pom.xml} puts in its environment, and reads them from the same environment. Anywhere else it is skipped, and
 * says so.
 */
abstract class WithCustomSettings extends DeployedWar {

    @BeforeAll
    static void requireCustomSettings() {
        assumeTrue("custom".equals(System.getProperty("it.settings")), "needs the container settings of the"
                + " custom-settings execution of pom.xml, which ./mvnw verify runs");
    }
}
