package org.kmsconnector.devnet;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;
import org.kmsconnector.chain.Eip712;
import org.kmsconnector.chain.Handle;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * The three user-decryption request calls of the Gateway's Decryption contract (contracts.md
 * §4.4), signed as a user's SDK signs them: the legacy and delegated ones under the host chain
 * of their ContractsInfo, the unified one (RFC016) with the struct the connector verifies. The
 * domain is (name, version, host chain id, Decryption address) in all three.
 */
public final class UserDecryptionCalls {
    /** Type string of the unified request the connector checks (contracts.md §9.3). */
    public static final String UNIFIED_REQUEST_TYPE = "UserDecryptRequestVerification(address userAddress,bytes publicKey,"
            + "address[] allowedContracts,uint256 startTimestamp,uint256 durationSeconds,bytes extraData)";
    static final String LEGACY_REQUEST_TYPE = "UserDecryptRequestVerification(bytes publicKey,"
            + "address[] contractAddresses,uint256 startTimestamp,uint256 durationDays,bytes extraData)";
    static final String DELEGATED_REQUEST_TYPE = "DelegatedUserDecryptRequestVerification(bytes publicKey,"
            + "address[] contractAddresses,address delegatorAddress,uint256 startTimestamp,uint256 durationDays,"
            + "bytes extraData)";

    /** The EIP-712 domain users sign requests under: the Decryption contract, on the handles' host chain. */
    public record Domain(String name, String version, long hostChainId, String decryptionAddress) {
        byte[] separator() {
            return Eip712.domainSeparator(name, version, hostChainId, decryptionAddress);
        }
    }

    /** One handle of a unified request, its contract and its owner (the user, or a delegator). */
    public record Entry(byte[] handle, String contract, String owner) {}

    private UserDecryptionCalls() {}

    /** The host chain of the handles, which must all be on one chain. */
    public static long hostChainOf(List<byte[]> handles) {
        long chain = new Handle(handles.get(0)).hostChainId();
        for (byte[] h : handles) {
            if (new Handle(h).hostChainId() != chain) {
                throw new IllegalArgumentException("the handles are on several host chains");
            }
        }
        return chain;
    }

    /** {@code userDecryptionRequest(...)} legacy (0xf1b57adb): every handle under one contract. */
    public static Function legacy(Domain domain, Credentials user, List<byte[]> handles, String contract,
            long startTimestamp, long durationDays, byte[] publicKey, byte[] extraData) {
        byte[] struct = Hash.sha3(concat(Eip712.typeHash(LEGACY_REQUEST_TYPE), Eip712.hashBytes(publicKey),
                Eip712.hashAddressArray(List.of(contract)), uint(startTimestamp), uint(durationDays),
                Eip712.hashBytes(extraData)));
        byte[] signature = Eip712.sign(Eip712.digest(domain.separator(), struct), user.getEcKeyPair());
        return new Function("userDecryptionRequest", List.of(pairs(handles, contract),
                new StaticStruct(new Uint256(startTimestamp), new Uint256(durationDays)),
                contractsInfo(domain, contract), new Address(user.getAddress()), new DynamicBytes(publicKey),
                new DynamicBytes(signature), new DynamicBytes(extraData)), List.of());
    }

    /** {@code delegatedUserDecryptionRequest(...)} (0x9fad5a2f), signed by the delegate. */
    public static Function delegated(Domain domain, String delegator, Credentials delegate, List<byte[]> handles,
            String contract, long startTimestamp, long durationDays, byte[] publicKey, byte[] extraData) {
        byte[] struct = Hash.sha3(concat(Eip712.typeHash(DELEGATED_REQUEST_TYPE), Eip712.hashBytes(publicKey),
                Eip712.hashAddressArray(List.of(contract)), Eip712.addressWord(delegator), uint(startTimestamp),
                uint(durationDays), Eip712.hashBytes(extraData)));
        byte[] signature = Eip712.sign(Eip712.digest(domain.separator(), struct), delegate.getEcKeyPair());
        return new Function("delegatedUserDecryptionRequest", List.of(pairs(handles, contract),
                new StaticStruct(new Uint256(startTimestamp), new Uint256(durationDays)),
                new StaticStruct(new Address(delegator), new Address(delegate.getAddress())),
                contractsInfo(domain, contract), new DynamicBytes(publicKey), new DynamicBytes(signature),
                new DynamicBytes(extraData)), List.of());
    }

    /** {@code userDecryptionRequest(...)} unified (0xb4de2c37), with the user's EIP-712 signature. */
    public static Function unified(Domain domain, Credentials user, List<Entry> entries, List<String> allowedContracts,
            long startTimestamp, long durationSeconds, byte[] publicKey, byte[] extraData) {
        byte[] signature = unifiedSignature(domain, user, allowedContracts, startTimestamp, durationSeconds, publicKey,
                extraData);
        return unified(entries, user.getAddress(), allowedContracts, BigInteger.valueOf(startTimestamp),
                BigInteger.valueOf(durationSeconds), publicKey, signature, extraData);
    }

    /** The unified call with any values and any signature, e.g. ones the connector must refuse. */
    public static Function unified(List<Entry> entries, String userAddress, List<String> allowedContracts,
            BigInteger startTimestamp, BigInteger durationSeconds, byte[] publicKey, byte[] signature,
            byte[] extraData) {
        List<StaticStruct> handleEntries = entries.stream().map(e -> new StaticStruct(new Bytes32(e.handle()),
                new Address(e.contract()), new Address(e.owner()))).toList();
        return new Function("userDecryptionRequest", List.of(new DynamicArray<>(StaticStruct.class, handleEntries),
                new Address(userAddress), new DynamicBytes(publicKey), addresses(allowedContracts),
                new StaticStruct(new Uint256(startTimestamp), new Uint256(durationSeconds)),
                new DynamicBytes(signature), new DynamicBytes(extraData)), List.of());
    }

    /** The user's 65-byte signature of a unified request. */
    public static byte[] unifiedSignature(Domain domain, Credentials user, List<String> allowedContracts,
            long startTimestamp, long durationSeconds, byte[] publicKey, byte[] extraData) {
        return Eip712.sign(unifiedDigest(domain, user.getAddress(), allowedContracts, startTimestamp, durationSeconds,
                publicKey, extraData), user.getEcKeyPair());
    }

    public static byte[] unifiedDigest(Domain domain, String userAddress, List<String> allowedContracts,
            long startTimestamp, long durationSeconds, byte[] publicKey, byte[] extraData) {
        byte[] struct = Hash.sha3(concat(Eip712.typeHash(UNIFIED_REQUEST_TYPE), Eip712.addressWord(userAddress),
                Eip712.hashBytes(publicKey), Eip712.hashAddressArray(allowedContracts), uint(startTimestamp),
                uint(durationSeconds), Eip712.hashBytes(extraData)));
        return Eip712.digest(domain.separator(), struct);
    }

    private static DynamicArray<StaticStruct> pairs(List<byte[]> handles, String contract) {
        return new DynamicArray<>(StaticStruct.class,
                handles.stream().map(h -> new StaticStruct(new Bytes32(h), new Address(contract))).toList());
    }

    private static org.web3j.abi.datatypes.DynamicStruct contractsInfo(Domain domain, String contract) {
        return new org.web3j.abi.datatypes.DynamicStruct(new Uint256(domain.hostChainId()),
                addresses(List.of(contract)));
    }

    private static DynamicArray<Address> addresses(List<String> values) {
        return new DynamicArray<>(Address.class, values.stream().map(Address::new).toList());
    }

    private static byte[] uint(long v) {
        return Eip712.uintWord(BigInteger.valueOf(v));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
