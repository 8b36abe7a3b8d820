package org.kmsconnector.worker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.testsupport.UsesRealParts;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

/**
 * Legacy user decryptions against real chains: request transactions sent to the DecryptionMock
 * on the Gateway anvil, permissions in an ACLMock on a host anvil with its own chain id.
 */
@UsesRealParts
class LegacyUserDecryptionTest {
    private static final Credentials SENDER = DevAccounts.USER;

    private static AuthFixture f;
    private static UserDecryptionAuthorizer authorizer;

    @BeforeAll
    static void start() throws Exception {
        f = AuthFixture.start();
        authorizer = WorkerChecks.userDecryption(f.config, f.hostChains, f.gatewayClient, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void directRequestPassesWhenUserAndContractAreAllowed() throws Exception {
        String user = SENDER.getAddress();
        String contract = AuthFixture.randomAddress();
        Handle h1 = AuthFixture.handle();
        Handle h2 = AuthFixture.handle();
        for (Handle h : List.of(h1, h2)) {
            f.allow(h, user);
            f.allow(h, contract);
        }
        String tx = f.gatewayTx(SENDER, f.decryption, LegacyCalls.direct(pairs(contract, h1, h2), user,
                AuthFixture.HOST_CHAIN_ID));

        assertEquals(Optional.empty(), authorizer.check(Jobs.legacy(List.of(h1, h2), user, Hex.decode(tx))));
    }

    @Test
    void directRequestIsRetriedWhileTheUserOrTheContractIsNotAllowed() throws Exception {
        String user = SENDER.getAddress();
        String contract = AuthFixture.randomAddress();
        Handle h = AuthFixture.handle();
        String tx = f.gatewayTx(SENDER, f.decryption, LegacyCalls.direct(pairs(contract, h), user,
                AuthFixture.HOST_CHAIN_ID));

        Refusal userDenied = authorizer.check(Jobs.legacy(List.of(h), user, Hex.decode(tx))).orElseThrow();
        assertRefusal(userDenied, true, "acl", "user " + user.toLowerCase() + " is not allowed");

        f.allow(h, user);
        Refusal contractDenied = authorizer.check(Jobs.legacy(List.of(h), user, Hex.decode(tx))).orElseThrow();
        assertRefusal(contractDenied, true, "acl", "contract " + contract + " is not allowed");

        f.allow(h, contract);
        assertEquals(Optional.empty(), authorizer.check(Jobs.legacy(List.of(h), user, Hex.decode(tx))));
    }

    @Test
    void delegatedRequestPassesOnlyForTheDelegate() throws Exception {
        String delegate = SENDER.getAddress();
        String delegator = AuthFixture.randomAddress();
        String contract = AuthFixture.randomAddress();
        Handle h = AuthFixture.handle();
        String tx = f.gatewayTx(SENDER, f.decryption, LegacyCalls.delegated(pairs(contract, h), delegator, delegate,
                AuthFixture.HOST_CHAIN_ID));

        Refusal notDelegated = authorizer.check(Jobs.legacy(List.of(h), delegate, Hex.decode(tx))).orElseThrow();
        assertRefusal(notDelegated, true, "acl", "is not a delegate of " + delegator);

        f.delegate(delegator, delegate, contract, h);
        assertEquals(Optional.empty(), authorizer.check(Jobs.legacy(List.of(h), delegate, Hex.decode(tx))));
    }

    @Test
    void requestWithoutTxHashFails() {
        Refusal r = authorizer.check(Jobs.legacy(List.of(AuthFixture.handle()), SENDER.getAddress(), null))
                .orElseThrow();
        assertRefusal(r, false, "acl", "no tx_hash");
    }

    @Test
    void unknownTransactionFails() {
        byte[] nowhere = Hex.decode("ab".repeat(32));
        Refusal r = authorizer.check(Jobs.legacy(List.of(AuthFixture.handle()), SENDER.getAddress(), nowhere))
                .orElseThrow();
        assertRefusal(r, false, "acl", "is not on the Gateway");
    }

    @Test
    void transactionToAnotherContractFails() throws Exception {
        Handle h = AuthFixture.handle();
        String user = SENDER.getAddress();
        String contract = AuthFixture.randomAddress();
        f.allow(h, user);
        f.allow(h, contract);
        String relayer = AuthFixture.randomAddress();
        String tx = f.gatewayTx(SENDER, relayer, LegacyCalls.direct(pairs(contract, h), user,
                AuthFixture.HOST_CHAIN_ID));

        Refusal r = authorizer.check(Jobs.legacy(List.of(h), user, Hex.decode(tx))).orElseThrow();
        assertRefusal(r, false, "acl", "sent to " + relayer);
    }

    @Test
    void calldataThatIsNeitherRequestFails() throws Exception {
        Handle h = AuthFixture.handle();
        String publicRequest = "0xd8998f45" + "00".repeat(31) + "40" + "00".repeat(32 * 3);
        String tx = f.gatewayTx(SENDER, f.decryption, publicRequest);

        Refusal r = authorizer.check(Jobs.legacy(List.of(h), SENDER.getAddress(), Hex.decode(tx))).orElseThrow();
        assertRefusal(r, false, "acl", "neither delegatedUserDecryptionRequest nor userDecryptionRequest");
    }

    @Test
    void handleMissingFromTheCalldataFails() throws Exception {
        String user = SENDER.getAddress();
        Handle listed = AuthFixture.handle();
        Handle other = AuthFixture.handle();
        String tx = f.gatewayTx(SENDER, f.decryption, LegacyCalls.direct(pairs(AuthFixture.randomAddress(), listed),
                user, AuthFixture.HOST_CHAIN_ID));

        Refusal r = authorizer.check(Jobs.legacy(List.of(listed, other), user, Hex.decode(tx))).orElseThrow();
        assertRefusal(r, false, "acl", "handle " + other + " is not among");
    }

    @Test
    void handleOfAnUnknownHostChainIsRetried() throws Exception {
        String user = SENDER.getAddress();
        Handle elsewhere = AuthFixture.handle(999);
        String tx = f.gatewayTx(SENDER, f.decryption, LegacyCalls.direct(pairs(AuthFixture.randomAddress(), elsewhere),
                user, 999));

        Refusal r = authorizer.check(Jobs.legacy(List.of(elsewhere), user, Hex.decode(tx))).orElseThrow();
        assertRefusal(r, true, "acl", "host chain 999, which is not in host_chains");
    }

    @Test
    void gatewayRpcFailureIsRetriedAsNetwork() {
        Web3j down = Web3jClients.create("http://127.0.0.1:9", Duration.ofSeconds(2));
        try {
            UserDecryptionAuthorizer cut = WorkerChecks.userDecryption(f.config, f.hostChains, down,
                    Clock.systemUTC());
            Refusal r = cut.check(Jobs.legacy(List.of(AuthFixture.handle()), SENDER.getAddress(),
                    Hex.decode("ab".repeat(32)))).orElseThrow();
            assertRefusal(r, true, "network", "eth_getTransactionByHash");
        } finally {
            down.shutdown();
        }
    }

    @Test
    void hostRpcFailureIsRetriedAsNetworkAndNamesTheChainAndAcl() throws Exception {
        String user = SENDER.getAddress();
        Handle h = AuthFixture.handle(777);
        String deadAcl = AuthFixture.randomAddress();
        var cfg = AuthFixture.config(org.kmsconnector.testsupport.TestInfra.anvil(), f.decryption,
                List.of(new org.kmsconnector.config.HostChainConfig("http://127.0.0.1:9", 777, deadAcl)));
        try (var deadHosts = AuthFixture.hostChains(cfg)) {
            UserDecryptionAuthorizer cut = WorkerChecks.userDecryption(cfg, deadHosts, f.gatewayClient,
                    Clock.systemUTC());
            String tx = f.gatewayTx(SENDER, f.decryption, LegacyCalls.direct(pairs(AuthFixture.randomAddress(), h),
                    user, 777));
            Refusal r = cut.check(Jobs.legacy(List.of(h), user, Hex.decode(tx))).orElseThrow();
            assertRefusal(r, true, "network", "isAllowed on the ACL " + deadAcl + " of host chain 777 failed");
        }
    }

    static Map<Handle, String> pairs(String contract, Handle... handles) {
        Map<Handle, String> pairs = new LinkedHashMap<>();
        for (Handle h : handles) {
            pairs.put(h, contract);
        }
        return pairs;
    }

    static void assertRefusal(Refusal r, boolean recoverable, String checkType, String reasonPart) {
        assertEquals(recoverable, r.recoverable(), () -> "recoverable? " + r);
        assertEquals(checkType, r.checkType(), () -> "check type of " + r);
        assertTrue(r.reason().contains(reasonPart), () -> "reason '" + r.reason() + "' lacks '" + reasonPart + "'");
        assertFalse(r.reason().isBlank());
    }
}
