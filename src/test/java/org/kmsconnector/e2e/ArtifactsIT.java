package org.kmsconnector.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.kmsconnector.devnet.ServiceProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What `mvn package` built: the service jar holds only the connector, the devnet jar only the devnet. */
class ArtifactsIT {

    @Test
    void theServiceJarHoldsNoDevnetClassOrResource() throws Exception {
        Path service = ServiceProcess.connectorJar();
        try (JarFile jar = new JarFile(service.toFile())) {
            List<String> devnet = jar.stream().map(ZipEntry::getName).filter(n -> n.contains("devnet")).toList();
            assertEquals(List.of(), devnet, service + " must not hold the devnet");
            assertTrue(jar.getEntry("org/kmsconnector/cli/KmsConnector.class") != null, "the connector is there");
            assertTrue(jar.getEntry("routes/shared/claim-and-dispatch.camel.yaml") != null, "with its routes");
        }
    }

    @Test
    void theDevnetJarHoldsOnlyTheDevnet() throws Exception {
        Path devnet = ServiceProcess.connectorJar().resolveSibling("kms-connector-0.15.0-devnet.jar");
        assertTrue(Files.isRegularFile(devnet), devnet + " is built by the same mvn package");
        try (JarFile jar = new JarFile(devnet.toFile())) {
            List<String> foreign = jar.stream().map(ZipEntry::getName)
                    .filter(n -> !n.endsWith("/") && !n.startsWith("META-INF/") && !n.startsWith("org/kmsconnector/devnet/"))
                    .toList();
            assertEquals(List.of(), foreign);
            assertTrue(jar.getEntry("org/kmsconnector/devnet/Demo.class") != null);
            assertTrue(jar.getEntry("org/kmsconnector/devnet/contracts/DecryptionMock.json") != null);
        }
    }
}
