package org.kmsconnector.worker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kmsconnector.worker.auth.LegacyUserDecryptionTest.assertRefusal;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Eip712;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.HostChainConfig;
import org.kmsconnector.devnet.ContractArtifact;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.chain.HostChains;
import org.kmsconnector.testsupport.UsesRealParts;
import org.kmsconnector.worker.job.UserDecryptionJob;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.ECKeyPair;

/**
 * Unified (RFC016) user decryptions against real chains: EOA and ERC-1271 signatures, the ACL
 * and the smart accounts on a host anvil (chain id 12345), a fixed clock for the window.
 */
@UsesRealParts
class UnifiedUserDecryptionTest {
    private static final long NOW = 1_800_000_000L;
    private static final long START = NOW - 3600;
    private static final long DURATION = 86_400;

    private static AuthFixture f;
    private static UserDecryptionAuthorizer authorizer;

    @BeforeAll
    static void start() throws Exception {
        f = AuthFixture.start();
        authorizer = authorizer(f.config, f.hostChains);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static UserDecryptionAuthorizer authorizer(ConnectorConfig cfg, HostChains chains) {
        return WorkerChecks.userDecryption(cfg, chains, f.gatewayClient,
                Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    }

    /** The calls are built as AclCalls and UserSignature build them; the selectors must be contracts.md §8's. */
    @Test
    void aclAndSmartAccountSelectorsAreTheRealOnes() {
        Bytes32 word = new Bytes32(new byte[32]);
        assertEquals("0xc0d02943", selector("isAllowedForDecryption", word));
        assertEquals("0x82027b6d", selector("isAllowed", word, Address.DEFAULT));
        assertEquals("0xd09c0dee", selector("isHandleDelegatedForUserDecryption", Address.DEFAULT, Address.DEFAULT,
                Address.DEFAULT, word));
        assertEquals("0x0dff1525", selector("decryptionSignatureInvalidatedBefore", Address.DEFAULT));
        assertEquals("0x1626ba7e", selector("isValidSignature", word, new DynamicBytes(new byte[0])));
    }

    private static String selector(String name, org.web3j.abi.datatypes.Type<?>... args) {
        return FunctionEncoder.encode(new Function(name, List.of(args), List.of())).substring(0, 10);
    }

    @Test
    void eoaSignatureOfTheOwnerPasses() throws Exception {
        ECKeyPair user = AuthFixture.key();
        Handle h = ownedHandle(user);
        assertEquals(Optional.empty(), authorizer.check(request(user, List.of(h)).job()));
    }

    @Test
    void flippedSignatureByteFailsForAnEoa() throws Exception {
        ECKeyPair user = AuthFixture.key();
        Request r = request(user, List.of(ownedHandle(user)));
        r.signature[10] ^= 0x01;

        Refusal refusal = authorizer.check(r.job()).orElseThrow();
        assertRefusal(refusal, false, "signature", "has no ERC-1271 code");
    }

    @Test
    void smartAccountSignatureOfItsOwnerPasses() throws Exception {
        ECKeyPair owner = AuthFixture.key();
        String wallet = wallet(owner);
        Request r = request(wallet, owner, List.of(ownedHandle(wallet)));
        assertEquals(Optional.empty(), authorizer.check(r.job()));
    }

    @Test
    void smartAccountRefusingTheSignerIsRetried() throws Exception {
        String wallet = wallet(AuthFixture.key());
        Request r = request(wallet, AuthFixture.key(), List.of(ownedHandle(wallet)));

        Refusal refusal = authorizer.check(r.job()).orElseThrow();
        assertRefusal(refusal, true, "signature", "does not accept the signature (isValidSignature answered 0xffffffff)");
    }

    @Test
    void smartAccountThatRevertsOrAnswersShortIsRetried() throws Exception {
        ECKeyPair owner = AuthFixture.key();
        String wallet = wallet(owner);
        Request r = request(wallet, owner, List.of(ownedHandle(wallet)));

        setMode(wallet, 1);
        assertRefusal(authorizer.check(r.job()).orElseThrow(), true, "signature", "reverted isValidSignature");
        setMode(wallet, 2);
        assertRefusal(authorizer.check(r.job()).orElseThrow(), true, "signature", "with 4 bytes");
        setMode(wallet, 0);
        assertEquals(Optional.empty(), authorizer.check(r.job()));
    }

    @Test
    void smartAccountCallIsCappedByErc1271GasLimit() throws Exception {
        ECKeyPair owner = AuthFixture.key();
        String wallet = wallet(owner);
        Request r = request(wallet, owner, List.of(ownedHandle(wallet)));
        ConnectorConfig starved = AuthFixture.config(TestInfra.anvil(), f.decryption,
                List.of(new HostChainConfig(f.hostNode.url(), AuthFixture.HOST_CHAIN_ID, f.acl)),
                Map.of("erc1271_gas_limit", "25000"));

        Refusal refusal = authorizer(starved, f.hostChains).check(r.job()).orElseThrow();
        assertRefusal(refusal, true, "signature", "isValidSignature");
    }

    @Test
    void requestNotYetValidIsRetriedAndExpiredOneFails() throws Exception {
        ECKeyPair user = AuthFixture.key();
        Handle h = ownedHandle(user);

        Request early = request(user, List.of(h), List.of(), NOW + 60, DURATION);
        assertRefusal(authorizer.check(early.job()).orElseThrow(), true, "signature", "valid from " + (NOW + 60));

        Request expired = request(user, List.of(h), List.of(), NOW - 100, 99);
        assertRefusal(authorizer.check(expired.job()).orElseThrow(), false, "signature", "expired at " + (NOW - 1));

        Request lastSecond = request(user, List.of(h), List.of(), NOW - 100, 100);
        assertEquals(Optional.empty(), authorizer.check(lastSecond.job()), "now == start + duration is still valid");
    }

    @Test
    void userListedAmongTheAllowedContractsFails() throws Exception {
        ECKeyPair user = AuthFixture.key();
        Handle h = ownedHandle(user);
        Request r = request(user, List.of(h), List.of(AuthFixture.randomAddress(), AuthFixture.address(user)),
                START, DURATION);

        assertRefusal(authorizer.check(r.job()).orElseThrow(), false, "acl", "is listed among the allowed contracts");
    }

    @Test
    void signaturesMadeBeforeTheInvalidationFail() throws Exception {
        ECKeyPair user = AuthFixture.key();
        Request r = request(user, List.of(ownedHandle(user)));

        f.invalidateBefore(AuthFixture.address(user), START);
        assertEquals(Optional.empty(), authorizer.check(r.job()), "start == invalidation time is still valid");

        f.invalidateBefore(AuthFixture.address(user), START + 1);
        assertRefusal(authorizer.check(r.job()).orElseThrow(), false, "signature", "invalidated the signatures");
    }

    @Test
    void ownerMustAllowTheUserOnEachHandle() throws Exception {
        ECKeyPair user = AuthFixture.key();
        Handle allowed = ownedHandle(user);
        Handle notAllowed = AuthFixture.handle();
        Request r = request(user, List.of(allowed, notAllowed));

        assertRefusal(authorizer.check(r.job()).orElseThrow(), true, "acl", "is not allowed on handle " + notAllowed);
        f.allow(notAllowed, AuthFixture.address(user));
        assertEquals(Optional.empty(), authorizer.check(r.job()));
    }

    @Test
    void handleOfAnotherOwnerNeedsItsDelegation() throws Exception {
        ECKeyPair user = AuthFixture.key();
        String owner = AuthFixture.randomAddress();
        Handle h = AuthFixture.handle();
        Request r = request(user, List.of(h));
        r.owners.set(0, owner);

        assertRefusal(authorizer.check(r.job()).orElseThrow(), true, "acl", "is not a delegate of " + owner);
        f.delegate(owner, AuthFixture.address(user), r.contracts.get(0), h);
        assertEquals(Optional.empty(), authorizer.check(r.job()));
    }

    @Test
    void nonEmptyAllowedContractsNeedOneAllowedOnEachHandle() throws Exception {
        ECKeyPair user = AuthFixture.key();
        Handle h = ownedHandle(user);
        String c1 = AuthFixture.randomAddress();
        String c2 = AuthFixture.randomAddress();
        Request r = request(user, List.of(h), List.of(c1, c2), START, DURATION);

        assertRefusal(authorizer.check(r.job()).orElseThrow(), true, "acl", "none of the allowed contracts");
        f.allow(h, c2);
        assertEquals(Optional.empty(), authorizer.check(r.job()));
    }

    @Test
    void handlesOnTwoHostChainsFail() throws Exception {
        ECKeyPair user = AuthFixture.key();
        Request r = request(user, List.of(ownedHandle(user), AuthFixture.handle(TestInfra.CHAIN_ID)));

        assertRefusal(authorizer.check(r.job()).orElseThrow(), false, "acl", "span host chains [12345, 31337]");
    }

    @Test
    void requestWithoutHandleFails() throws Exception {
        Request r = request(AuthFixture.key(), List.of());
        assertRefusal(authorizer.check(r.job()).orElseThrow(), false, "acl", "no ciphertext handle");
    }

    @Test
    void unknownHostChainIsRetried() throws Exception {
        ECKeyPair user = AuthFixture.key();
        Request r = request(user, List.of(AuthFixture.handle(4242)), 4242);

        assertRefusal(authorizer.check(r.job()).orElseThrow(), true, "acl",
                "host chain 4242, which is not in host_chains");
    }

    @Test
    void hostRpcFailureIsRetriedAsNetwork() throws Exception {
        ECKeyPair user = AuthFixture.key();
        Request r = request(user, List.of(AuthFixture.handle(778)), 778);
        ConnectorConfig cfg = AuthFixture.config(TestInfra.anvil(), f.decryption,
                List.of(new HostChainConfig("http://127.0.0.1:9", 778, f.acl)));
        try (HostChains dead = AuthFixture.hostChains(cfg)) {
            assertRefusal(authorizer(cfg, dead).check(r.job()).orElseThrow(), true, "network", "host chain 778");
        }
    }

    /** A unified request under construction; the lists are mutable so a test can bend one field. */
    private record Request(String user, List<Handle> handles, List<String> owners, List<String> contracts,
            List<String> allowed, long start, long duration, byte[] signature) {
        UserDecryptionJob job() {
            return Jobs.unified(handles, user, new UserDecryptionJob.Unified(raw(owners), raw(contracts), raw(allowed),
                    start, duration, signature));
        }

        private static List<byte[]> raw(List<String> addresses) {
            return addresses.stream().map(Hex::decode).toList();
        }
    }

    private static Request request(ECKeyPair user, List<Handle> handles) {
        return request(user, handles, List.of(), START, DURATION);
    }

    private static Request request(ECKeyPair user, List<Handle> handles, long chainId) {
        return request(AuthFixture.address(user), user, handles, List.of(), START, DURATION, chainId);
    }

    private static Request request(ECKeyPair user, List<Handle> handles, List<String> allowed, long start,
            long duration) {
        return request(AuthFixture.address(user), user, handles, allowed, start, duration, AuthFixture.HOST_CHAIN_ID);
    }

    private static Request request(String user, ECKeyPair signer, List<Handle> handles) {
        return request(user, signer, handles, List.of(), START, DURATION, AuthFixture.HOST_CHAIN_ID);
    }

    /** Owned by the user, through one fresh dapp contract each; signed by {@code signer} for {@code chainId}. */
    private static Request request(String user, ECKeyPair signer, List<Handle> handles, List<String> allowed,
            long start, long duration, long chainId) {
        List<String> owners = new ArrayList<>();
        List<String> contracts = new ArrayList<>();
        for (int i = 0; i < handles.size(); i++) {
            owners.add(user);
            contracts.add(AuthFixture.randomAddress());
        }
        byte[] digest = Eip712.digest(Eip712.domainSeparator("Decryption", "1", chainId, f.decryption),
                Eip712.userDecryptRequestStructHash(user, Jobs.PUBLIC_KEY, allowed, BigInteger.valueOf(start),
                        BigInteger.valueOf(duration), Jobs.EXTRA_DATA));
        return new Request(user, handles, owners, contracts, allowed, start, duration, Eip712.sign(digest, signer));
    }

    private static Handle ownedHandle(ECKeyPair user) throws Exception {
        return ownedHandle(AuthFixture.address(user));
    }

    private static Handle ownedHandle(String owner) throws Exception {
        Handle h = AuthFixture.handle();
        f.allow(h, owner);
        return h;
    }

    private static String wallet(ECKeyPair owner) throws Exception {
        return f.host.deploy(ContractArtifact.load("ERC1271WalletMock"), new Address(AuthFixture.address(owner)));
    }

    private static void setMode(String wallet, int mode) throws Exception {
        f.host.send(wallet, new Function("setMode", List.of(new Uint8(mode)), List.of()));
    }
}
