package org.kmsconnector.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * The KMSGeneration views a new epoch reshares from (contracts.md §6.3), read at the epoch's
 * materialBlockNumber: historical state, so the Ethereum node must still serve that block (an
 * archive node once it is old). Any failure is an IOException naming the call and the block.
 */
public final class KmsGenerationViews {
    /** getKeyInfo: a key's preprocessing, parameters and digests. */
    public record KeyInfo(BigInteger prepKeygenId, BigInteger keyId, int paramsType, List<KeyDigest> digests) {}

    private final Web3j ethereum;
    private final String address;

    public KmsGenerationViews(Web3j ethereum, String address) {
        this.ethereum = ethereum;
        this.address = address;
    }

    public List<BigInteger> completedKeyIds(BigInteger block) throws IOException {
        return call("getCompletedKeyIds", List.of(), block, KmsGenerationViews::uints);
    }

    public List<BigInteger> completedCrsIds(BigInteger block) throws IOException {
        return call("getCompletedCrsIds", List.of(), block, KmsGenerationViews::uints);
    }

    /** A digest of a KeyType without a key (which the KMS Core could not use) is an undecodable answer. */
    public KeyInfo keyInfo(BigInteger keyId, BigInteger block) throws IOException {
        return call("getKeyInfo", List.of(new Uint256(keyId)), block, out -> {
            AbiReader info = out.tuple(0);
            List<KeyDigest> digests = new ArrayList<>();
            for (AbiReader d : info.dynamicTupleArray(3)) {
                digests.add(new KeyDigest(KeyDigest.Type.fromOnChain(d.uint(0).intValueExact()), d.bytes(1)));
            }
            return new KeyInfo(info.uint(0), info.uint(1), info.uint(2).intValueExact(), digests);
        });
    }

    /** The second value of getCrsMaterials: the CRS digest (the storage URLs are not needed). */
    public byte[] crsDigest(BigInteger crsId, BigInteger block) throws IOException {
        return call("getCrsMaterials", List.of(new Uint256(crsId)), block, out -> out.bytes(1));
    }

    private static List<BigInteger> uints(AbiReader out) {
        List<BigInteger> ids = new ArrayList<>();
        for (AbiReader element : out.staticTupleArray(0, 1)) {
            ids.add(element.uint(0));
        }
        return ids;
    }

    private interface Decoder<T> {
        T decode(AbiReader out);
    }

    @SuppressWarnings("rawtypes")
    private <T> T call(String name, List<Type> args, BigInteger block, Decoder<T> decoder) throws IOException {
        Function fn = new Function(name, args, List.of());
        String where = "KMSGeneration " + address + " at block " + block;
        EthCall reply;
        try {
            reply = ethereum.ethCall(Transaction.createEthCallTransaction(null, address, FunctionEncoder.encode(fn)),
                    DefaultBlockParameter.valueOf(block)).send();
        } catch (IOException e) {
            throw ViewCalls.failure(fn, where, e.getMessage());
        }
        if (reply.hasError()) {
            throw ViewCalls.failure(fn, where, reply.getError().getMessage());
        }
        byte[] data = Hex.decode(reply.getValue() == null ? "0x" : reply.getValue());
        if (data.length == 0) {
            throw ViewCalls.failure(fn, where, "empty answer (is the contract deployed there at that block?)");
        }
        try {
            return decoder.decode(AbiReader.of(data));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ViewCalls.failure(fn, where, "undecodable answer: " + e.getMessage());
        }
    }
}
