package org.kmsconnector.monitoring;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.runtime.ServiceRuntime;
import org.kmsconnector.testsupport.ServiceEnv;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live status page, rendered by a real headless Chromium against a running service. */
@UsesRealParts
class StatusPageBrowserTest {

    @Test
    void thePageShowsEachStageAndTheLatestFailureWithItsReason() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (DevDatabase db = TestInfra.database("status_page");
                ServiceRuntime service = ServiceRuntime.assemble(ServiceEnv.of(ServiceKind.TX_SENDER, db,
                                TestInfra.anvil(), "0x00000000000000000000000000000000000000aa")
                        .set("private_key", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
                        .set("monitoring_endpoint", "127.0.0.1:" + port).load())) {
            insertRequest(db, 1, "completed", null);
            insertRequest(db, 2, "completed", null);
            insertRequest(db, 3, "pending", null);
            insertRequest(db, 4, "failed", "the ACL of host chain 54321 does not allow the public decryption");
            service.startInBackground(Duration.ofSeconds(30));

            String dom = render("http://127.0.0.1:" + port + "/status");

            Matcher row = Pattern.compile("<tr data-table=\"public_decryption_requests\">(.*?)</tr>").matcher(dom);
            assertTrue(row.find(), dom);
            assertEquals(List.of("Public decryption requests", "1", "0", "2", "1", "0", "2"),
                    cells(row.group(1)).subList(0, 7), row.group(1));
            assertTrue(dom.contains("the ACL of host chain 54321 does not allow the public decryption"), dom);
            assertTrue(dom.contains("kms-connector-tx-sender"), "the page names the service that serves it");
        }
    }

    private static void insertRequest(DevDatabase db, int id, String status, String error) throws Exception {
        try (Connection c = db.open(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO public_decryption_requests (decryption_id, extra_data, created_at, otlp_context, status,"
                        + " last_error) VALUES (?, '', ?, '\\x0000000000000000', ?::operation_status, ?)")) {
            byte[] le = new byte[32];
            le[0] = (byte) id;
            le[31] = 1;
            ps.setBytes(1, le);
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            ps.setString(3, status);
            ps.setString(4, error);
            ps.executeUpdate();
        }
    }

    private static List<String> cells(String rowHtml) {
        Matcher m = Pattern.compile("<td[^>]*>(.*?)</td>").matcher(rowHtml);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** chromium --headless --dump-dom: the DOM after the page's script has run. */
    static String render(String url) throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
        assertTrue(Files.isExecutable(chromium), chromium + " not found: scripts/prepare-env.sh installs Debian's"
                + " chromium (or set CHROMIUM_BIN)");
        Path profile = Files.createTempDirectory("kmsc-chromium-");
        Path out = Files.createTempFile("kmsc-dom-", ".html");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", url)
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
