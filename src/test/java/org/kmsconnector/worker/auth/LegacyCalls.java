package org.kmsconnector.worker.auth;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kmsconnector.chain.Handle;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;

/**
 * The calldata of the two legacy request functions, encoded with web3j's ABI encoder (an
 * independent implementation of what LegacyRequestCalldata decodes by hand). The selectors come
 * from the canonical signatures of contracts.md §4.3.
 */
final class LegacyCalls {
    static final String DELEGATED_SIGNATURE = "delegatedUserDecryptionRequest((bytes32,address)[],(uint256,uint256),"
            + "(address,address),(uint256,address[]),bytes,bytes,bytes)";
    static final String DIRECT_SIGNATURE = "userDecryptionRequest((bytes32,address)[],(uint256,uint256),"
            + "(uint256,address[]),address,bytes,bytes,bytes)";

    private LegacyCalls() {}

    static String selector(String signature) {
        return Hash.sha3String(signature).substring(0, 10);
    }

    /** @param pairs handle → contract, in order */
    static String delegated(Map<Handle, String> pairs, String delegator, String delegate, long hostChainId) {
        List<Type> args = List.of(pairs(pairs), validity(), new StaticStruct(new Address(delegator),
                new Address(delegate)), contractsInfo(pairs, hostChainId), new DynamicBytes(new byte[] {1, 2, 3}),
                new DynamicBytes(new byte[65]), new DynamicBytes(new byte[] {0}));
        return selector(DELEGATED_SIGNATURE) + FunctionEncoder.encodeConstructor(args);
    }

    static String direct(Map<Handle, String> pairs, String user, long hostChainId) {
        List<Type> args = List.of(pairs(pairs), validity(), contractsInfo(pairs, hostChainId), new Address(user),
                new DynamicBytes(new byte[] {1, 2, 3}), new DynamicBytes(new byte[65]), new DynamicBytes(new byte[0]));
        return selector(DIRECT_SIGNATURE) + FunctionEncoder.encodeConstructor(args);
    }

    private static DynamicArray<StaticStruct> pairs(Map<Handle, String> pairs) {
        List<StaticStruct> out = new ArrayList<>();
        pairs.forEach((h, c) -> out.add(new StaticStruct(new Bytes32(h.bytes()), new Address(c))));
        return new DynamicArray<>(StaticStruct.class, out);
    }

    private static StaticStruct validity() {
        return new StaticStruct(new Uint256(BigInteger.valueOf(1_700_000_000L)), new Uint256(BigInteger.TEN));
    }

    private static DynamicStruct contractsInfo(Map<Handle, String> pairs, long hostChainId) {
        List<Address> contracts = pairs.values().stream().distinct().map(Address::new).toList();
        return new DynamicStruct(new Uint256(BigInteger.valueOf(hostChainId)),
                new DynamicArray<>(Address.class, contracts));
    }
}
