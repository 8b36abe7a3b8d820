package org.kmsconnector.sender;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Hex;
import org.web3j.crypto.Hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RevertClassifierTest {
    // DecryptionNotRequested(0x0100…0005)
    private static final String NOT_REQUESTED =
            "0xd48af9420100000000000000000000000000000000000000000000000000000000000005";
    // Error("boom")
    private static final String ERROR_STRING = "0x08c379a0"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "0000000000000000000000000000000000000000000000000000000000000004"
            + "626f6f6d00000000000000000000000000000000000000000000000000000000";

    @Test
    void everySelectorOfTheTableIsTheKeccakOfItsSignature() {
        Map<String, String> all = ContractErrors.all();
        assertEquals(132, all.size());
        all.forEach((selector, signature) -> assertEquals(selector,
                Hex.prefixed(java.util.Arrays.copyOf(Hash.sha3(signature.getBytes()), 4)), signature));
    }

    @Test
    void decryptionNotRequestedIsIrrecoverableAndNamed() {
        RevertClassifier.Verdict v = RevertClassifier.classify("execution reverted", "\"" + NOT_REQUESTED + "\"");
        assertTrue(v.irrecoverable());
        assertTrue(v.description().contains("DecryptionNotRequested(uint256)"), v.description());
        assertTrue(v.description().contains("452312848583266388373324160190187140051835877600158453279131187530910662661"),
                v.description());
    }

    @Test
    void errorStringAndPanicAreRecoverable() {
        RevertClassifier.Verdict v = RevertClassifier.classify("execution reverted: boom", ERROR_STRING);
        assertFalse(v.irrecoverable());
        assertTrue(v.description().contains("Error(\"boom\")"), v.description());
        RevertClassifier.Verdict panic = RevertClassifier.classify("execution reverted",
                "0x4e487b710000000000000000000000000000000000000000000000000000000000000011");
        assertFalse(panic.irrecoverable());
        assertTrue(panic.description().contains("Panic(0x11)"), panic.description());
    }

    @Test
    void revertDataIsFoundWhereverTheNodePutsIt() {
        // bare hex (not JSON-quoted), nested object, "Reverted 0x…" and only in the message
        assertTrue(RevertClassifier.classify("execution reverted", NOT_REQUESTED).irrecoverable());
        assertTrue(RevertClassifier.classify("err",
                "{\"message\":\"x\",\"data\":{\"data\":\"" + NOT_REQUESTED + "\"}}").irrecoverable());
        assertTrue(RevertClassifier.classify("VM execution error.", "\"Reverted " + NOT_REQUESTED + "\"")
                .irrecoverable());
        assertTrue(RevertClassifier.classify("execution reverted: custom error 0xd48af942: 0100…", null)
                .irrecoverable());
    }

    @Test
    void unknownDataAndPlainErrorsAreRecoverable() {
        assertFalse(RevertClassifier.classify("execution reverted", "\"0xdeadbeef\"").irrecoverable());
        assertFalse(RevertClassifier.classify("nonce too low", null).irrecoverable());
        // an address in a non-revert message is not revert data
        assertFalse(RevertClassifier.classify(
                "insufficient funds for gas * price + value: address 0xd48af94200000000000000000000000000000000", null)
                .irrecoverable());
        assertFalse(RevertClassifier.classify("execution reverted", "\"0x\"").irrecoverable());
    }

    @Test
    void alreadySignedNamesBothArguments() {
        String data = "0x99ec48d9" + "0000000000000000000000000000000000000000000000000000000000000007"
                + "00000000000000000000000090f79bf6eb2c4f870365e785982e1f101e93b906";
        RevertClassifier.Verdict v = RevertClassifier.classify("execution reverted", data);
        assertTrue(v.irrecoverable());
        assertTrue(v.description().contains("KmsNodeAlreadySigned(uint256,address)(7, "
                + "0x90f79bf6eb2c4f870365e785982e1f101e93b906)"), v.description());
    }
}
