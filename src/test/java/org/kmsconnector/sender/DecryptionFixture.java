package org.kmsconnector.sender;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.kmsconnector.chain.Eip712;
import org.kmsconnector.devnet.AnvilNode;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevChain;
import org.kmsconnector.devnet.GatewayDeployment;
import org.kmsconnector.devnet.UserDecryptionCalls;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The Gateway side of a public decryption on a dev chain: the mocks deployed with
 * {@link DevAccounts#TX_SENDER} as the KMS node's tx sender, decryption requests made as a dapp
 * would, and the KMS Core's EIP-712 signature over a result, computed here the way the KMS does.
 */
final class DecryptionFixture implements AutoCloseable {
    /** topic0 of PublicDecryptionRequest(uint256,bytes32[],bytes), the handle-only event */
    private static final String REQUEST_TOPIC = "0x9bb088a53f1fe13ec84fa0a1d7b578b589e193268baaccc5e23f7ab785aa3dae";
    /** topic0 of UserDecryptionRequest(uint256,bytes32[],address,bytes,bytes), the legacy handle-only event */
    private static final String USER_REQUEST_TOPIC = "0xc71e32c80f3109c673a9adfcded0b3b2093212ab284084a0e03a281dee2bdd5f";
    private static final byte[] DOMAIN_TYPEHASH = Hash.sha3(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                    .getBytes(StandardCharsets.UTF_8));
    private static final byte[] PUBLIC_DECRYPT_TYPEHASH = Hash.sha3(
            "PublicDecryptVerification(bytes32[] ctHandles,bytes decryptedResult,bytes extraData)"
                    .getBytes(StandardCharsets.UTF_8));
    private static final SecureRandom RANDOM = new SecureRandom();

    final AnvilNode anvil;
    final DevChain chain;
    final GatewayDeployment gateway;

    private DecryptionFixture(AnvilNode anvil, DevChain chain, GatewayDeployment gateway) {
        this.anvil = anvil;
        this.chain = chain;
        this.gateway = gateway;
    }

    static DecryptionFixture deploy(AnvilNode anvil) throws IOException {
        DevChain chain = new DevChain(anvil.url(), anvil.chainId(), DevAccounts.DEPLOYER);
        GatewayDeployment gw = GatewayDeployment.deploy(chain, DevAccounts.TX_SENDER.getAddress(),
                DevAccounts.KMS_SIGNER.getAddress(), DevAccounts.COPROCESSOR_SIGNER.getAddress(), "http://unused/bucket");
        return new DecryptionFixture(anvil, chain, gw);
    }

    String decryption() {
        return gateway.decryption();
    }

    /** A request on the mock with {@code handles} random handles; the decryption id it got. */
    Request request(int handles) throws IOException {
        List<byte[]> hs = new ArrayList<>();
        for (int i = 0; i < handles; i++) {
            byte[] h = new byte[32];
            RANDOM.nextBytes(h);
            hs.add(h);
        }
        List<Bytes32> words = hs.stream().map(Bytes32::new).toList();
        TransactionReceipt receipt = chain.send(gateway.decryption(), new Function("publicDecryptionRequest",
                List.of(new DynamicArray<>(Bytes32.class, words), new DynamicBytes(new byte[] {0})), List.of()));
        for (Log log : receipt.getLogs()) {
            if (REQUEST_TOPIC.equals(log.getTopics().get(0))) {
                return new Request(new BigInteger(log.getTopics().get(1).substring(2), 16), hs);
            }
        }
        throw new IOException("no PublicDecryptionRequest event in " + receipt.getTransactionHash());
    }

    /** A valid response to {@code request}: result, KMS signature, extra data. */
    Response answer(Request request) {
        byte[] decrypted = word(request.id.mod(BigInteger.valueOf(1000)));
        byte[] extra = {0};
        return new Response(request.id, decrypted, kmsSignature(request.handles, decrypted, extra), extra);
    }

    /** The KMS signature of PublicDecryptVerification under the Decryption domain: r ‖ s ‖ v, low s, v 27/28. */
    byte[] kmsSignature(List<byte[]> handles, byte[] decryptedResult, byte[] extraData) {
        byte[] domain = Hash.sha3(concat(DOMAIN_TYPEHASH, Hash.sha3("Decryption".getBytes(StandardCharsets.UTF_8)),
                Hash.sha3("1".getBytes(StandardCharsets.UTF_8)), word(BigInteger.valueOf(anvil.chainId())),
                word(new BigInteger(gateway.decryption().substring(2), 16))));
        byte[] struct = Hash.sha3(concat(PUBLIC_DECRYPT_TYPEHASH, Hash.sha3(concat(handles.toArray(byte[][]::new))),
                Hash.sha3(decryptedResult), Hash.sha3(extraData)));
        byte[] digest = Hash.sha3(concat(new byte[] {0x19, 0x01}, domain, struct));
        Sign.SignatureData sig = Sign.signMessage(digest, DevAccounts.KMS_SIGNER.getEcKeyPair(), false);
        return concat(sig.getR(), sig.getS(), sig.getV());
    }

    /** How many KMS nodes answered {@code id} on chain. */
    @SuppressWarnings("rawtypes")
    int responseCount(BigInteger id) throws IOException {
        List<Type> out = chain.call(gateway.decryption(), new Function("getPublicDecryptionResult",
                List.of(new Uint256(id)), List.of(new TypeReference<DynamicBytes>() {},
                        new TypeReference<DynamicBytes>() {}, new TypeReference<Uint256>() {})));
        return ((Uint256) out.get(2)).getValue().intValueExact();
    }

    /** A legacy user decryption request on the mock for {@code handles} random handles. */
    UserRequest userRequest(int handles, byte[] publicKey) throws IOException {
        List<byte[]> hs = new ArrayList<>();
        for (int i = 0; i < handles; i++) {
            byte[] h = new byte[32];
            RANDOM.nextBytes(h);
            hs.add(h);
        }
        UserDecryptionCalls.Domain domain = new UserDecryptionCalls.Domain("Decryption", "1", anvil.chainId(),
                gateway.decryption());
        TransactionReceipt receipt = chain.send(gateway.decryption(), UserDecryptionCalls.legacy(domain,
                DevAccounts.USER, hs, "0x00000000000000000000000000000000000c0ffe", 1, 1, publicKey, new byte[0]));
        for (Log log : receipt.getLogs()) {
            if (USER_REQUEST_TOPIC.equals(log.getTopics().get(0))) {
                return new UserRequest(new BigInteger(log.getTopics().get(1).substring(2), 16), hs, publicKey);
            }
        }
        throw new IOException("no UserDecryptionRequest event in " + receipt.getTransactionHash());
    }

    /** The KMS signature of UserDecryptResponseVerification over the stored public key and handles. */
    byte[] kmsUserSignature(UserRequest request, byte[] share, byte[] extraData) {
        byte[] digest = Eip712.digest(Eip712.domainSeparator("Decryption", "1", anvil.chainId(), gateway.decryption()),
                Eip712.userDecryptResponseStructHash(request.publicKey, request.handles, share, extraData));
        return Eip712.sign(digest, DevAccounts.KMS_SIGNER.getEcKeyPair());
    }

    /** The shares the mock accepted for {@code id}, in arrival order. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    List<byte[]> userShares(BigInteger id) throws IOException {
        List<Type> out = chain.call(gateway.decryption(), new Function("getUserDecryptionResult",
                List.of(new Uint256(id)), List.of(new TypeReference<DynamicArray<DynamicBytes>>() {},
                        new TypeReference<Uint256>() {})));
        List<byte[]> shares = new ArrayList<>();
        for (DynamicBytes b : ((DynamicArray<DynamicBytes>) out.get(0)).getValue()) {
            shares.add(b.getValue());
        }
        return shares;
    }

    byte[] calldata(Response r) {
        return DecryptionResponseCalls.publicDecryptionResponse(r.id, r.decryptedResult, r.signature, r.extraData);
    }

    private static byte[] word(BigInteger v) {
        return org.kmsconnector.chain.Uint256.toBigEndian(v);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Override
    public void close() {
        chain.close();
    }

    record Request(BigInteger id, List<byte[]> handles) {}

    record UserRequest(BigInteger id, List<byte[]> handles, byte[] publicKey) {}

    record Response(BigInteger id, byte[] decryptedResult, byte[] signature, byte[] extraData) {}
}
