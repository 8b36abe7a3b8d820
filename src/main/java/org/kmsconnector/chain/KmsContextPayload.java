package org.kmsconnector.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Int32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/**
 * What a NewKmsContext event defines (contracts.md §3, §7.1): the KMS nodes, the thresholds, the
 * software version and the PCR values. Read from the event's data or from the columns the
 * listener stored it in (each part ABI-encoded on its own, as the original stores them), and
 * written back in those forms.
 */
public record KmsContextPayload(List<Node> nodes, Thresholds thresholds, String softwareVersion, List<Pcrs> pcrValues) {

    /** KmsNodeParams. */
    public record Node(byte[] txSenderAddress, byte[] signerAddress, String ipAddress, String storageUrl, int partyId,
            String mpcIdentity, byte[] caCert, String storagePrefix) {}

    /** KmsThresholds: a static tuple of four words. */
    public record Thresholds(BigInteger publicDecryption, BigInteger userDecryption, BigInteger kmsGen,
            BigInteger mpc) {}

    /** PcrValues. */
    public record Pcrs(byte[] pcr0, byte[] pcr1, byte[] pcr2) {}

    /** The event's data: abi.encode(KmsNodeParams[], KmsThresholds, string, PcrValues[]). */
    public static KmsContextPayload fromEventData(byte[] data) {
        AbiReader r = AbiReader.of(data);
        return new KmsContextPayload(nodes(r.dynamicTupleArray(0)), thresholds(r, 1), r.string(5),
                pcrs(r.dynamicTupleArray(6)));
    }

    /** The listener's columns: kms_node_params, thresholds, software_version, pcr_values. */
    public static KmsContextPayload fromColumns(byte[] nodes, byte[] thresholds, String softwareVersion, byte[] pcrs) {
        return new KmsContextPayload(nodes(AbiReader.of(nodes).dynamicTupleArray(0)),
                thresholds(AbiReader.of(thresholds), 0), softwareVersion, pcrs(AbiReader.of(pcrs).dynamicTupleArray(0)));
    }

    /** abi.encode(KmsNodeParams[]). */
    public byte[] nodesAbi() {
        return encode(new DynamicArray<>(DynamicStruct.class, nodes.stream().map(KmsContextPayload::node).toList()));
    }

    /** abi.encode(KmsThresholds): four words. */
    public byte[] thresholdsAbi() {
        return encode(new StaticStruct(new Uint256(thresholds.publicDecryption()),
                new Uint256(thresholds.userDecryption()), new Uint256(thresholds.kmsGen()), new Uint256(thresholds.mpc())));
    }

    /** abi.encode(PcrValues[]). */
    public byte[] pcrsAbi() {
        return encode(new DynamicArray<>(DynamicStruct.class, pcrValues.stream().map(p -> new DynamicStruct(
                new DynamicBytes(p.pcr0()), new DynamicBytes(p.pcr1()), new DynamicBytes(p.pcr2()))).toList()));
    }

    /** The four values as the arguments of a call (a contract that defines a context). */
    @SuppressWarnings("rawtypes")
    public List<Type> callArguments() {
        return List.of(new DynamicArray<>(DynamicStruct.class, nodes.stream().map(KmsContextPayload::node).toList()),
                new StaticStruct(new Uint256(thresholds.publicDecryption()), new Uint256(thresholds.userDecryption()),
                        new Uint256(thresholds.kmsGen()), new Uint256(thresholds.mpc())),
                new Utf8String(softwareVersion),
                new DynamicArray<>(DynamicStruct.class, pcrValues.stream().map(p -> new DynamicStruct(
                        new DynamicBytes(p.pcr0()), new DynamicBytes(p.pcr1()), new DynamicBytes(p.pcr2()))).toList()));
    }

    private static DynamicStruct node(Node n) {
        return new DynamicStruct(new Address(Numeric.toHexString(n.txSenderAddress())),
                new Address(Numeric.toHexString(n.signerAddress())), new Utf8String(n.ipAddress()),
                new Utf8String(n.storageUrl()), new Int32(n.partyId()), new Utf8String(n.mpcIdentity()),
                new DynamicBytes(n.caCert()), new Utf8String(n.storagePrefix()));
    }

    private static List<Node> nodes(List<AbiReader> tuples) {
        List<Node> out = new ArrayList<>(tuples.size());
        for (AbiReader t : tuples) {
            out.add(new Node(t.address(0), t.address(1), t.string(2), t.string(3), t.int32(4), t.string(5),
                    t.bytes(6), t.string(7)));
        }
        return out;
    }

    private static Thresholds thresholds(AbiReader r, int first) {
        return new Thresholds(r.uint(first), r.uint(first + 1), r.uint(first + 2), r.uint(first + 3));
    }

    private static List<Pcrs> pcrs(List<AbiReader> tuples) {
        List<Pcrs> out = new ArrayList<>(tuples.size());
        for (AbiReader t : tuples) {
            out.add(new Pcrs(t.bytes(0), t.bytes(1), t.bytes(2)));
        }
        return out;
    }

    /** abi.encode(value): for a dynamic value, the offset word then its encoding. */
    private static byte[] encode(Type<?> value) {
        return Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(List.of(value)));
    }
}
