package org.kmsconnector.worker.ciphertext;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import org.kmsconnector.devnet.AnvilNode;
import org.kmsconnector.devnet.CiphertextPublisher;
import org.kmsconnector.devnet.ContractArtifact;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevChain;
import org.kmsconnector.testsupport.TestInfra;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/** Coprocessors registered in a freshly deployed GatewayConfigMock on the shared anvil. */
final class CoprocessorFixture {
    /** One coprocessor: its tx sender, its attestation key and its bucket. */
    record Copro(String txSender, ECKeyPair signer, String bucketUrl) {
        String signerAddress() {
            return CiphertextPublisher.address(signer);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static DevChain chain;

    private CoprocessorFixture() {}

    static synchronized DevChain chain() throws Exception {
        if (chain == null) {
            AnvilNode anvil = TestInfra.anvil();
            chain = new DevChain(anvil.url(), anvil.chainId(), DevAccounts.DEPLOYER);
        }
        return chain;
    }

    static Copro copro(String bucketUrl) {
        return new Copro(CiphertextPublisher.address(key()), key(), bucketUrl);
    }

    /** Deploys a GatewayConfigMock holding {@code copros} and the threshold; returns its address. */
    static String deployRegistry(List<Copro> copros, long threshold) throws Exception {
        DevChain c = chain();
        String config = c.deploy(ContractArtifact.load("GatewayConfigMock"));
        for (Copro p : copros) {
            c.send(config, new Function("addCoprocessor", List.of(new Address(p.txSender()),
                    new Address(p.signerAddress()), new Utf8String(p.bucketUrl())), List.of()));
        }
        c.send(config, new Function("setCoprocessorMajorityThreshold",
                List.of(new Uint256(BigInteger.valueOf(threshold))), List.of()));
        return config;
    }

    static ECKeyPair key() {
        try {
            return Keys.createEcKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A handle no other test uses: random hash, host chain 12345, the given FHE type. */
    static byte[] newHandle(int fheType) {
        byte[] hash = new byte[21];
        RANDOM.nextBytes(hash);
        return CiphertextPublisher.handle(hash, 0, 12345, fheType, 0);
    }

    static byte[] body(int size) {
        byte[] b = new byte[size];
        RANDOM.nextBytes(b);
        return b;
    }

    static void publishAll(List<Copro> copros, byte[] handle, byte[] body, BigInteger keyId, int format)
            throws IOException {
        for (Copro p : copros) {
            CiphertextPublisher.publish(p.bucketUrl(), handle, body, p.signer(), keyId, format);
        }
    }
}
