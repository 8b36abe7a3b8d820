package org.kmsconnector.sender;

import java.math.BigInteger;
import java.util.List;
import org.kmsconnector.chain.KeyDigest;
import org.kmsconnector.db.Operations;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.utils.Numeric;

/** The three KMSGeneration calls the tx-sender makes on Ethereum (contracts.md §6.2), the KMS Core's bytes as stored. */
public final class KeyManagementResponseCalls {
    /** prepKeygenResponse(uint256,bytes) */
    public static final String PREP_KEYGEN_SELECTOR = "0x589adb0e";
    /** keygenResponse(uint256,(uint8,bytes)[],bytes) */
    public static final String KEYGEN_SELECTOR = "0x4610ffe8";
    /** crsgenResponse(uint256,bytes,bytes) */
    public static final String CRSGEN_SELECTOR = "0x62978787";

    private KeyManagementResponseCalls() {}

    public static ResponseCall prepKeygen(ChainSender ethereum, String kmsGeneration) {
        return new ResponseCall(Operations.PREP_KEYGEN, ethereum, kmsGeneration,
                row -> prepKeygenResponse(row.id(), row.bytes("signature")));
    }

    public static ResponseCall keygen(ChainSender ethereum, String kmsGeneration) {
        return new ResponseCall(Operations.KEYGEN, ethereum, kmsGeneration,
                row -> keygenResponse(row.id(), row.keyDigests("key_digests"), row.bytes("signature")));
    }

    public static ResponseCall crsgen(ChainSender ethereum, String kmsGeneration) {
        return new ResponseCall(Operations.CRSGEN, ethereum, kmsGeneration,
                row -> crsgenResponse(row.id(), row.bytes("crs_digest"), row.bytes("signature")));
    }

    public static byte[] prepKeygenResponse(BigInteger prepKeygenId, byte[] signature) {
        return encode("prepKeygenResponse", List.of(new Uint256(prepKeygenId), new DynamicBytes(signature)));
    }

    /** The digests in the order the KMS Core returned them: the order is part of what it signed. */
    public static byte[] keygenResponse(BigInteger keyId, List<KeyDigest> keyDigests, byte[] signature) {
        if (keyDigests.isEmpty()) {
            throw new IllegalArgumentException("key_digests is empty");
        }
        List<DynamicStruct> digests = keyDigests.stream().map(d -> new DynamicStruct(
                new Uint8(d.type().onChain()), new DynamicBytes(d.digest()))).toList();
        return encode("keygenResponse", List.of(new Uint256(keyId), new DynamicArray<>(DynamicStruct.class, digests),
                new DynamicBytes(signature)));
    }

    public static byte[] crsgenResponse(BigInteger crsId, byte[] crsDigest, byte[] signature) {
        return encode("crsgenResponse", List.of(new Uint256(crsId), new DynamicBytes(crsDigest),
                new DynamicBytes(signature)));
    }

    @SuppressWarnings("rawtypes")
    private static byte[] encode(String name, List<Type> args) {
        return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function(name, args, List.of())));
    }
}
