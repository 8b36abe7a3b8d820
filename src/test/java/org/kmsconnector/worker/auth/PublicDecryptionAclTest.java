package org.kmsconnector.worker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kmsconnector.worker.auth.LegacyUserDecryptionTest.assertRefusal;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.HostChainConfig;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.chain.HostChains;
import org.kmsconnector.testsupport.UsesRealParts;
import org.kmsconnector.worker.auth.PublicDecryptionAcl;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;

/** Public decryption's ACL check, now on the shared AclCalls, against the host anvil's ACLMock. */
@UsesRealParts
class PublicDecryptionAclTest {
    private static AuthFixture f;
    private static PublicDecryptionAcl acl;

    @BeforeAll
    static void start() throws Exception {
        f = AuthFixture.start();
        acl = new PublicDecryptionAcl(f.hostChains);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void allowedHandlesPassAndOthersAreRetried() throws Exception {
        Handle allowed = AuthFixture.handle();
        Handle notYet = AuthFixture.handle();
        f.host.send(f.acl, new Function("allowForDecryption",
                List.of(new DynamicArray<>(Bytes32.class, List.of(new Bytes32(allowed.bytes())))), List.of()));

        assertEquals(Optional.empty(), acl.check(List.of(allowed)));
        assertRefusal(acl.check(List.of(allowed, notYet)).orElseThrow(), true, "acl",
                "does not allow the public decryption of " + notYet);
        assertRefusal(acl.check(List.of(AuthFixture.handle(31))).orElseThrow(), true, "acl",
                "host chain 31, which is not in host_chains");
    }

    @Test
    void transportErrorIsRetriedAndNamesTheChainTheAclAndTheCause() throws Exception {
        String deadAcl = AuthFixture.randomAddress();
        ConnectorConfig cfg = AuthFixture.config(TestInfra.anvil(), f.decryption,
                List.of(new HostChainConfig("http://127.0.0.1:9", 779, deadAcl)));
        try (HostChains dead = AuthFixture.hostChains(cfg)) {
            Refusal r = new PublicDecryptionAcl(dead).check(List.of(AuthFixture.handle(779))).orElseThrow();
            assertRefusal(r, true, "network", "isAllowedForDecryption on the ACL " + deadAcl + " of host chain 779 failed: ");
        }
    }
}
