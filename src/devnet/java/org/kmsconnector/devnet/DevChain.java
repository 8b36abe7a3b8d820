package org.kmsconnector.devnet;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Deploys and drives the mock contracts on a dev chain from one funded account. Used by the
 * tests and the demo to play the parts of the protocol that are not the connector
 * (dapps asking for decryptions, the gateway owner configuring nodes).
 */
public final class DevChain implements AutoCloseable {
    private static final BigInteger GAS_LIMIT = BigInteger.valueOf(8_000_000);

    private final Web3j web3j;
    private final HttpService web3jService;
    private final RawTransactionManager txManager;

    public DevChain(String url, long chainId, Credentials account) {
        this.web3jService = new HttpService(url);
        this.web3j = Web3j.build(web3jService);
        this.txManager = new RawTransactionManager(web3j, account, chainId,
                new PollingTransactionReceiptProcessor(web3j, 50, 400));
    }

    public Web3j web3j() {
        return web3j;
    }

    public String deploy(ContractArtifact artifact, Type<?>... constructorArgs) throws IOException {
        String data = artifact.bytecode() + FunctionEncoder.encodeConstructor(List.of(constructorArgs));
        TransactionReceipt receipt = mined(txManager.sendEIP1559Transaction(chainId(), priorityFee(), maxFee(),
                GAS_LIMIT, "", data, BigInteger.ZERO, false));
        return receipt.getContractAddress();
    }

    /** Sends a transaction and waits for it; a revert is an exception. */
    public TransactionReceipt send(String contract, Function function) throws IOException {
        return mined(txManager.sendEIP1559Transaction(chainId(), priorityFee(), maxFee(), GAS_LIMIT,
                contract, FunctionEncoder.encode(function), BigInteger.ZERO, false));
    }

    @SuppressWarnings("rawtypes")
    public List<Type> call(String contract, Function function) throws IOException {
        EthCall result = web3j.ethCall(Transaction.createEthCallTransaction(null, contract,
                FunctionEncoder.encode(function)), DefaultBlockParameterName.LATEST).send();
        if (result.hasError()) {
            throw new IOException("eth_call " + function.getName() + " failed: " + result.getError().getMessage());
        }
        return FunctionReturnDecoder.decode(result.getValue(), function.getOutputParameters());
    }

    /** Every log of the contract whose first topics are {@code topics} (topic0, then indexed values), oldest first. */
    public List<org.web3j.protocol.core.methods.response.Log> logs(String contract, String... topics)
            throws IOException {
        org.web3j.protocol.core.methods.request.EthFilter filter = new org.web3j.protocol.core.methods.request
                .EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, contract);
        for (String topic : topics) {
            filter.addSingleTopic(topic);
        }
        org.web3j.protocol.core.methods.response.EthLog reply = web3j.ethGetLogs(filter).send();
        if (reply.hasError()) {
            throw new IOException("eth_getLogs failed: " + reply.getError().getMessage());
        }
        List<org.web3j.protocol.core.methods.response.Log> out = new java.util.ArrayList<>();
        reply.getLogs().forEach(r -> out.add((org.web3j.protocol.core.methods.response.Log) r.get()));
        return out;
    }

    /** anvil_mine: empty blocks, e.g. so that what was sent is behind the finalized tag. */
    public void mine(int blocks) throws IOException {
        var reply = new org.web3j.protocol.core.Request<>("anvil_mine", List.of("0x" + Integer.toHexString(blocks)),
                web3jService, org.web3j.protocol.core.methods.response.VoidResponse.class).send();
        if (reply.hasError()) {
            throw new IOException("anvil_mine failed: " + reply.getError().getMessage());
        }
    }

    public long blockNumber() throws IOException {
        return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    private TransactionReceipt mined(EthSendTransaction sent) throws IOException {
        if (sent.hasError()) {
            throw new IOException("transaction rejected: " + sent.getError().getMessage());
        }
        try {
            TransactionReceipt receipt = new PollingTransactionReceiptProcessor(web3j, 50, 400)
                    .waitForTransactionReceipt(sent.getTransactionHash());
            if (!receipt.isStatusOK()) {
                throw new IOException("transaction " + sent.getTransactionHash() + " reverted");
            }
            return receipt;
        } catch (org.web3j.protocol.exceptions.TransactionException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private long chainId() throws IOException {
        return web3j.ethChainId().send().getChainId().longValueExact();
    }

    private static BigInteger priorityFee() {
        return BigInteger.valueOf(1_000_000_000L);
    }

    private BigInteger maxFee() throws IOException {
        BigInteger base = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send()
                .getBlock().getBaseFeePerGas();
        return base.multiply(BigInteger.TWO).add(priorityFee());
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
