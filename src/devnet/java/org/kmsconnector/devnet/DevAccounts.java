package org.kmsconnector.devnet;

import org.web3j.crypto.Credentials;

/**
 * The well-known development accounts of anvil's default mnemonic. Public test keys: they hold
 * value only on local chains and must never be used anywhere else.
 */
public final class DevAccounts {
    public static final Credentials DEPLOYER =
            Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    public static final Credentials TX_SENDER =
            Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    public static final Credentials USER =
            Credentials.create("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
    public static final Credentials KMS_SIGNER =
            Credentials.create("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
    /** Signs ciphertext attestations only (anvil account #5). */
    public static final Credentials COPROCESSOR_SIGNER =
            Credentials.create("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");

    private DevAccounts() {}
}
