package org.kmsconnector.devnet;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.AbiReader;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The owner's side of the KMSGeneration mock on the Ethereum dev chain (key generation, CRS
 * generation, aborts) and what its events say happened: requests, the KMS nodes' responses,
 * the activations.
 */
public final class KeyManagementCalls {
    static final String PREP_KEYGEN_REQUEST = topic("PrepKeygenRequest(uint256,uint8,bytes)");
    static final String KEYGEN_REQUEST = topic("KeygenRequest(uint256,uint256,bytes)");
    static final String CRSGEN_REQUEST = topic("CrsgenRequest(uint256,uint256,uint8,bytes)");
    static final String PREP_KEYGEN_RESPONSE = topic("PrepKeygenResponse(uint256,bytes,address)");
    static final String KEYGEN_RESPONSE = topic("KeygenResponse(uint256,(uint8,bytes)[],bytes,address)");
    static final String CRSGEN_RESPONSE = topic("CrsgenResponse(uint256,bytes,bytes,address)");
    static final String ACTIVATE_KEY = topic("ActivateKey(uint256,string[],(uint8,bytes)[])");
    static final String ACTIVATE_CRS = topic("ActivateCrs(uint256,string[],bytes)");

    private final DevChain chain;
    private final String kmsGeneration;

    public KeyManagementCalls(DevChain chain, String kmsGeneration) {
        this.chain = chain;
        this.kmsGeneration = kmsGeneration;
    }

    /** keygen(paramsType): emits PrepKeygenRequest; returns the prep-keygen id. */
    public BigInteger requestKeygen(int paramsType) throws IOException {
        return firstWord(chain.send(kmsGeneration, new Function("keygen", List.of(new Uint8(paramsType)), List.of())),
                PREP_KEYGEN_REQUEST);
    }

    /** crsgenRequest(maxBitLength, paramsType): emits CrsgenRequest; returns the CRS id. */
    public BigInteger requestCrsgen(long maxBitLength, int paramsType) throws IOException {
        return firstWord(chain.send(kmsGeneration, new Function("crsgenRequest",
                List.of(new Uint256(maxBitLength), new Uint8(paramsType)), List.of())), CRSGEN_REQUEST);
    }

    public void abortKeygen(BigInteger prepKeygenId) throws IOException {
        chain.send(kmsGeneration, new Function("abortKeygen", List.of(new Uint256(prepKeygenId)), List.of()));
    }

    public void abortCrsgen(BigInteger crsId) throws IOException {
        chain.send(kmsGeneration, new Function("abortCrsgen", List.of(new Uint256(crsId)), List.of()));
    }

    /** The key id consensus on the prep-keygen responses paired with {@code prepKeygenId} (KeygenRequest). */
    public Optional<BigInteger> keyIdOf(BigInteger prepKeygenId) throws IOException {
        for (Log log : logs(KEYGEN_REQUEST)) {
            AbiReader data = AbiReader.ofHex(log.getData());
            if (data.uint(0).equals(prepKeygenId)) {
                return Optional.of(data.uint(1));
            }
        }
        return Optional.empty();
    }

    /** How many PrepKeygenResponse / KeygenResponse / CrsgenResponse events name {@code id}. */
    public long responses(BigInteger id) throws IOException {
        return count(PREP_KEYGEN_RESPONSE, id) + count(KEYGEN_RESPONSE, id) + count(CRSGEN_RESPONSE, id);
    }

    public boolean keyActivated(BigInteger keyId) throws IOException {
        return count(ACTIVATE_KEY, keyId) > 0;
    }

    public boolean crsActivated(BigInteger crsId) throws IOException {
        return count(ACTIVATE_CRS, crsId) > 0;
    }

    public String address() {
        return kmsGeneration;
    }

    /** Events of that topic whose first data word is {@code id}. */
    private long count(String topic0, BigInteger id) throws IOException {
        return logs(topic0).stream().filter(l -> AbiReader.ofHex(l.getData()).uint(0).equals(id)).count();
    }

    private List<Log> logs(String topic0) throws IOException {
        return chain.logs(kmsGeneration, topic0);
    }

    private static BigInteger firstWord(TransactionReceipt receipt, String topic0) throws IOException {
        for (Log log : receipt.getLogs()) {
            if (topic0.equals(log.getTopics().get(0))) {
                return AbiReader.ofHex(log.getData()).uint(0);
            }
        }
        throw new IOException("no event " + topic0 + " in " + receipt.getTransactionHash());
    }

    private static String topic(String signature) {
        return Hash.sha3String(signature);
    }
}
