package org.kmsconnector.worker.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.Eip712;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.HostChainClient;
import org.kmsconnector.config.ContractConfig;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * The user's EIP-712 signature on a unified request (contracts.md §8.1, §9.3): domain name and
 * version of decryption_contract, the host chain's id, the Decryption address. An EOA signature
 * that recovers the user passes without RPC; anything else is put to the user address as an
 * ERC-1271 smart account, with a gas cap. Only "there is no account code at all" is final: a
 * wrong answer, a revert or a short answer may be a wallet being set up, so they are retried.
 */
final class UserSignature {
    static final byte[] ERC1271_MAGIC = Hex.decode("1626ba7e");

    private final ContractConfig decryption;
    private final BigInteger gasLimit;

    UserSignature(ContractConfig decryption, long erc1271GasLimit) {
        this.decryption = decryption;
        this.gasLimit = BigInteger.valueOf(erc1271GasLimit);
    }

    byte[] digest(long hostChainId, String user, byte[] publicKey, List<String> allowedContracts,
            BigInteger start, BigInteger duration, byte[] extraData) {
        return Eip712.digest(
                Eip712.domainSeparator(decryption.domainName(), decryption.domainVersion(), hostChainId,
                        decryption.address()),
                Eip712.userDecryptRequestStructHash(user, publicKey, allowedContracts, start, duration, extraData));
    }

    Optional<Refusal> check(HostChainClient chain, String user, byte[] digest, byte[] signature) {
        byte[] sig = signature == null ? new byte[0] : signature;
        if (sig.length == 65 && recovers(digest, sig, user)) {
            return Optional.empty();
        }
        String data = FunctionEncoder.encode(new Function("isValidSignature",
                List.of(new Bytes32(digest), new DynamicBytes(sig)), List.of()));
        EthCall reply;
        try {
            reply = HostRpc.call(chain, user, data, gasLimit);
        } catch (IOException e) {
            return Optional.of(Refusal.recoverable("network", "isValidSignature on " + user + " (host chain "
                    + chain.chainId() + ") failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            return Optional.of(HostAcls.interrupted());
        }
        if (reply.hasError()) {
            return retry("the smart account " + user + " reverted isValidSignature: " + reply.getError().getMessage());
        }
        byte[] answer = Hex.decode(reply.getValue() == null ? "" : reply.getValue());
        if (answer.length == 0) {
            return Optional.of(Refusal.irrecoverable("signature", "the signature does not recover the user " + user
                    + ", which has no ERC-1271 code on host chain " + chain.chainId() + " to accept it"));
        }
        if (answer.length < 32) {
            return retry("the smart account " + user + " answered isValidSignature with " + answer.length
                    + " bytes instead of a 32-byte word");
        }
        if (!Arrays.equals(Arrays.copyOf(answer, 4), ERC1271_MAGIC)) {
            return retry("the smart account " + user + " does not accept the signature (isValidSignature answered 0x"
                    + Hex.encode(Arrays.copyOf(answer, 4)) + ")");
        }
        return Optional.empty();
    }

    private static boolean recovers(byte[] digest, byte[] sig, String user) {
        try {
            return Eip712.recover(digest, sig).equalsIgnoreCase(user);
        } catch (IllegalArgumentException e) {
            return false; // not a usable ECDSA signature: maybe a smart account's own format
        }
    }

    private static Optional<Refusal> retry(String reason) {
        return Optional.of(Refusal.recoverable("signature", reason));
    }
}
