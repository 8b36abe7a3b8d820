package org.kmsconnector.e2e;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Eip712;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.LocalPipeline;
import org.kmsconnector.devnet.ServiceProcess;
import org.kmsconnector.devnet.UserDecryptionCalls.Entry;
import org.kmsconnector.devnet.UserDecryptionCalls;
import org.web3j.abi.datatypes.Function;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * User decryption through every hop, with the three services run from the built jar: a legacy,
 * a delegated and a unified (RFC016, EOA user) request on the Gateway → gw-listener →
 * PostgreSQL → kms-worker (attested ciphertexts from S3, UserDecrypt on the KMS Core) →
 * PostgreSQL → tx-sender → userDecryptionResponse, which the Decryption mock accepts only with
 * the KMS signature over the stored public key and handles and the submitted share.
 *
 * <p>The handles live on a host chain of their own (a second anvil with the ACL and the users'
 * smart accounts). Served requests pass the real authorisation: the host ACL grants user and
 * contract (or the delegation), and unified requests carry the user's EIP-712 signature under the
 * host chain's domain (an EOA's, or a smart account's checked through ERC-1271). The refused ones
 * end failed with their reason, with nothing sent to the KMS Core or the chain.
 */
class UserDecryptionPipelineIT {
    private static final String CONTRACT = "0x00000000000000000000000000000000000c0ffe";
    private static final Credentials USER = DevAccounts.USER;
    private static final Credentials DELEGATOR = Credentials.create(
            "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"); // anvil #8; only its address is used
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_ATTEMPTS = 3;
    private static LocalPipeline pipeline;
    private static PipelineRows rows;

    @BeforeAll
    static void startPipeline() throws Exception {
        pipeline = PipelineRows.startWithServices("user", 54323, MAX_ATTEMPTS);
        rows = new PipelineRows(pipeline);
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @AfterEach
    void servicesStillRun() throws Exception {
        for (ServiceProcess service : pipeline.services()) {
            assertTrue(service.isAlive(), service.service() + " died:\n" + service.output());
        }
    }

    @Test
    void aLegacyRequestEndsWithItsShareOnChain() throws Exception {
        List<LocalPipeline.Ciphertext> cts = List.of(pipeline.publishCiphertext(5, false),
                pipeline.publishCiphertext(0, false));
        for (LocalPipeline.Ciphertext ct : cts) {
            pipeline.allow(ct.handle(), USER.getAddress());
            pipeline.allow(ct.handle(), CONTRACT);
        }
        byte[] publicKey = publicKey();
        BigInteger id = pipeline.requestUserDecryption(USER, handles(cts), CONTRACT, publicKey, new byte[] {0});

        assertAnsweredOnce(id, cts, publicKey);
        assertEquals("true", rows.column("user_decryption_requests", id, "(signature IS NULL)::text"), "a legacy row");
    }

    @Test
    void aDelegatedRequestIsServedToTheDelegate() throws Exception {
        List<LocalPipeline.Ciphertext> cts = List.of(pipeline.publishCiphertext(4, false));
        pipeline.delegateUserDecryption(DELEGATOR.getAddress(), USER.getAddress(), CONTRACT, cts.get(0).handle());
        byte[] publicKey = publicKey();
        BigInteger id = pipeline.requestDelegatedUserDecryption(DELEGATOR.getAddress(), USER, handles(cts), CONTRACT,
                publicKey, new byte[0]);

        assertAnsweredOnce(id, cts, publicKey);
        assertEquals(Hex.encode(Hex.decode(USER.getAddress())),
                rows.column("user_decryption_requests", id, "encode(user_address, 'hex')"), "D2 names the delegate");
    }

    @Test
    void aUnifiedRequestOfAnEoaUserIsServed() throws Exception {
        LocalPipeline.Ciphertext own = pipeline.publishCiphertext(8, false);
        LocalPipeline.Ciphertext delegated = pipeline.publishCiphertext(2, false);
        pipeline.allow(own.handle(), USER.getAddress());
        pipeline.delegateUserDecryption(DELEGATOR.getAddress(), USER.getAddress(), CONTRACT, delegated.handle());
        pipeline.allow(own.handle(), CONTRACT);
        pipeline.allow(delegated.handle(), CONTRACT);
        byte[] publicKey = publicKey();
        long start = Instant.now().getEpochSecond() - 60;
        BigInteger id = pipeline.requestUnifiedUserDecryption(USER, List.of(
                new Entry(own.handle(), CONTRACT, USER.getAddress()),
                new Entry(delegated.handle(), CONTRACT, DELEGATOR.getAddress())),
                List.of(CONTRACT), start, 3600, publicKey, new byte[0]);

        assertAnsweredOnce(id, List.of(own, delegated), publicKey);
        assertEquals("65", rows.column("user_decryption_requests", id, "length(signature)::text"), "a unified row");
    }

    @Test
    void aUnifiedRequestOfASmartAccountIsServed() throws Exception {
        String wallet = pipeline.host().deploySmartAccount(USER.getAddress());
        LocalPipeline.Ciphertext ct = pipeline.publishCiphertext(3, false);
        pipeline.allow(ct.handle(), wallet);
        byte[] publicKey = publicKey();
        BigInteger id = pipeline.submitUserDecryption(unified(wallet, ct, publicKey, Instant.now().getEpochSecond() - 60,
                3600, new byte[0], USER));

        assertAnsweredOnce(id, List.of(ct), publicKey);
    }

    @Test
    void aRequestTheHostAclDeniesEndsFailedWithItsReasonAndNothingSent() throws Exception {
        LocalPipeline.Ciphertext ct = pipeline.publishCiphertext(4, false);
        pipeline.allow(ct.handle(), CONTRACT); // the contract may, the user may not
        BigInteger id = pipeline.requestUserDecryption(USER, List.of(ct.handle()), CONTRACT, publicKey(), new byte[0]);

        assertRefused(id, "is not allowed");
        assertEquals(Integer.toString(MAX_ATTEMPTS), rows.column("user_decryption_requests", id, "error_counter::text"),
                "an ACL denial is retried until max_decryption_attempts");
    }

    @Test
    void aUnifiedRequestWithABadSignatureIsFailedAtOnce() throws Exception {
        LocalPipeline.Ciphertext ct = pipeline.publishCiphertext(5, false);
        pipeline.allow(ct.handle(), USER.getAddress());
        long start = Instant.now().getEpochSecond() - 60;
        byte[] publicKey = publicKey();
        byte[] signature = UserDecryptionCalls.unifiedSignature(pipeline.userRequestDomain(List.of(ct.handle())), USER,
                List.of(), start, 3600, publicKey, new byte[0]);
        signature[10] ^= 1;
        BigInteger id = pipeline.submitUserDecryption(UserDecryptionCalls.unified(
                List.of(new Entry(ct.handle(), CONTRACT, USER.getAddress())), USER.getAddress(), List.of(),
                BigInteger.valueOf(start), BigInteger.valueOf(3600), publicKey, signature, new byte[0]));

        assertRefused(id, "signature");
    }

    @Test
    void aUnifiedRequestPastItsValidityIsFailedAtOnce() throws Exception {
        LocalPipeline.Ciphertext ct = pipeline.publishCiphertext(6, false);
        pipeline.allow(ct.handle(), USER.getAddress());
        BigInteger id = pipeline.submitUserDecryption(unified(USER.getAddress(), ct, publicKey(),
                Instant.now().getEpochSecond() - 7200, 3600, new byte[0], USER));

        assertRefused(id, "expired");
    }

    @Test
    void aRequestPinnedToAnUnknownKmsContextEndsFailed() throws Exception {
        LocalPipeline.Ciphertext ct = pipeline.publishCiphertext(2, false);
        pipeline.allow(ct.handle(), USER.getAddress());
        pipeline.allow(ct.handle(), CONTRACT);
        byte[] extraData = new byte[33];
        extraData[0] = 1;
        System.arraycopy(Uint256.toBigEndian(pipeline.ethereum().contextId().add(BigInteger.valueOf(99))), 0,
                extraData, 1, 32);
        BigInteger id = pipeline.requestUserDecryption(USER, List.of(ct.handle()), CONTRACT, publicKey(), extraData);

        assertRefused(id, "context");
    }

    @Test
    void aRequestWithUnsupportedExtraDataFailsBeforeAnyKmsCall() throws Exception {
        LocalPipeline.Ciphertext ct = pipeline.publishCiphertext(5, false);
        pipeline.allow(ct.handle(), USER.getAddress());
        pipeline.allow(ct.handle(), CONTRACT);
        BigInteger id = pipeline.requestUserDecryption(USER, List.of(ct.handle()), CONTRACT, publicKey(),
                new byte[] {7, 1});

        rows.awaitStatus("user_decryption_requests", id, "failed", Instant.now().plusSeconds(60));
        assertTrue(rows.column("user_decryption_requests", id, "last_error").contains("extra_data"),
                rows.column("user_decryption_requests", id, "last_error"));
        assertEquals(0, pipeline.kmsCore().callCount("UserDecrypt:" + Uint256.toRequestId(id)));
        assertEquals(null, rows.column("user_decryption_responses", id, "status::text"), "no response row");
        assertEquals(0, pipeline.userResult(id).responseCount(), "no response transaction");
    }

    /** A unified request for one handle owned by {@code user}, signed by {@code signer}. */
    private static Function unified(String user, LocalPipeline.Ciphertext ct, byte[] publicKey, long start,
            long duration, byte[] extraData, Credentials signer) {
        UserDecryptionCalls.Domain domain = pipeline.userRequestDomain(List.of(ct.handle()));
        byte[] digest = UserDecryptionCalls.unifiedDigest(domain, user, List.of(), start, duration, publicKey,
                extraData);
        return UserDecryptionCalls.unified(List.of(new Entry(ct.handle(), CONTRACT, user)), user, List.of(),
                BigInteger.valueOf(start), BigInteger.valueOf(duration), publicKey,
                Eip712.sign(digest, signer.getEcKeyPair()), extraData);
    }

    /** The request ends failed with a reason naming the check, and nothing reaches the KMS Core or the chain. */
    private static void assertRefused(BigInteger id, String reason) throws Exception {
        rows.awaitStatus("user_decryption_requests", id, "failed", Instant.now().plusSeconds(90));
        String lastError = rows.column("user_decryption_requests", id, "last_error");
        assertTrue(lastError != null && lastError.contains(reason), "last_error: " + lastError);
        assertEquals(0, pipeline.kmsCore().callCount("UserDecrypt:" + Uint256.toRequestId(id)), "no KMS request");
        assertEquals(null, rows.column("user_decryption_responses", id, "status::text"), "no response row");
        assertEquals(0, pipeline.userResult(id).responseCount(), "no response transaction");
    }

    /**
     * Rows completed, one share on chain, byte-identical to the stored one, built by the KMS from
     * the request's own ciphertexts and public key, and one UserDecrypt for the request.
     */
    private static void assertAnsweredOnce(BigInteger id, List<LocalPipeline.Ciphertext> cts, byte[] publicKey)
            throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        LocalPipeline.UserResult result = awaitResult(id, deadline);
        rows.awaitStatus("user_decryption_requests", id, "completed", deadline);
        rows.awaitStatus("user_decryption_responses", id, "completed", deadline);
        assertEquals(1, result.responseCount(), "one response per KMS node");
        byte[] share = result.shares().get(0);
        assertArrayEquals(rows.bytes("user_decryption_responses", id, "user_decrypted_shares"), share,
                "the share on chain is the stored one");
        for (LocalPipeline.Ciphertext ct : cts) {
            assertTrue(contains(share, ct.handle()), "the share covers every handle");
            // the KMS double signcrypts each ciphertext as keccak(enc_key ‖ ciphertext)
            assertTrue(contains(share, Hash.sha3(concat(publicKey, ct.body()))),
                    "the KMS was given the user's public key and the published ciphertext");
        }
        assertEquals(1, pipeline.kmsCore().callCount("UserDecrypt:" + Uint256.toRequestId(id)),
                "the KMS Core is asked once per request");
    }

    private static byte[] publicKey() {
        byte[] key = new byte[48];
        RANDOM.nextBytes(key);
        return key;
    }

    private static List<byte[]> handles(List<LocalPipeline.Ciphertext> cts) {
        return cts.stream().map(LocalPipeline.Ciphertext::handle).toList();
    }

    private static LocalPipeline.UserResult awaitResult(BigInteger id, Instant deadline) throws Exception {
        while (true) {
            LocalPipeline.UserResult r = pipeline.userResult(id);
            if (r.responseCount() > 0) {
                return r;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no response on chain for " + id + "; request row "
                        + rows.column("user_decryption_requests", id, "status::text") + ", last_error "
                        + rows.column("user_decryption_requests", id, "last_error") + "\n" + rows.logs());
            }
            Thread.sleep(200);
        }
    }




    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

}
