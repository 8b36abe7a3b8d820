package org.kmsconnector.worker;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.db.DataSources;
import org.kmsconnector.db.Migrations;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.OperationSql;
import org.kmsconnector.devnet.CiphertextPublisher;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevChain;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.devnet.GatewayDeployment;
import org.kmsconnector.devnet.KmsCoreDouble;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.worker.ciphertext.CiphertextResolver;
import org.kmsconnector.worker.ciphertext.CoprocessorRegistry;
import org.kmsconnector.worker.ciphertext.S3Settings;
import org.kmsconnector.worker.job.OperationJob;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.KmsCoreClient;
import org.web3j.protocol.Web3j;

/**
 * The kms-worker's real surroundings for step tests: a migrated database, the mock Gateway on the
 * shared anvil with one coprocessor whose bucket is on the shared S3Mock, and the KMS Core double
 * behind the real gRPC client. Rows are inserted as the gw-listener stores them and claimed with
 * the worker's own claim statements.
 */
final class WorkerFixture implements AutoCloseable {
    static final BigInteger KEY_ID = BigInteger.valueOf(4).shiftLeft(248).add(BigInteger.ONE);
    static final long HOST_CHAIN_ID = 12345;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static long nextCounter = 1;

    final DevDatabase db;
    final HikariDataSource dataSource;
    final DevChain chain;
    final GatewayDeployment gateway;
    final Web3j web3j;
    final KmsCoreDouble kmsCore;
    final KmsCoreClient kmsClient;
    final CiphertextResolver ciphertexts;
    final DecryptionRequests.Domain domain;
    private final String bucketUrl;

    WorkerFixture(String name) throws Exception {
        db = TestInfra.database(name);
        dataSource = DataSources.pooled(db.connection().jdbcUrl(), db.connection().user(), db.connection().password(),
                4, "test");
        Migrations.migrate(dataSource);
        bucketUrl = TestInfra.s3().bucketUrl("copro-a");
        chain = new DevChain(TestInfra.anvil().url(), TestInfra.CHAIN_ID, DevAccounts.DEPLOYER);
        gateway = GatewayDeployment.deploy(chain, DevAccounts.TX_SENDER.getAddress(), DevAccounts.KMS_SIGNER.getAddress(),
                DevAccounts.COPROCESSOR_SIGNER.getAddress(), bucketUrl);
        web3j = Web3jClients.create(TestInfra.anvil().url(), Duration.ofSeconds(10));
        CoprocessorRegistry registry = new CoprocessorRegistry(web3j, gateway.gatewayConfig(), Optional.empty());
        registry.load();
        ciphertexts = new CiphertextResolver(registry::snapshot, new S3Settings(2, Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(5), 8, 4, 1 << 20), ok -> { });
        kmsCore = KmsCoreDouble.start(0, DevAccounts.KMS_SIGNER.getEcKeyPair());
        kmsClient = new KmsCoreClient(List.of(kmsCore.endpoint()), 3, Duration.ofMillis(50), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
        domain = new DecryptionRequests.Domain("Decryption", "1", TestInfra.CHAIN_ID, gateway.decryption());
    }

    /** A fresh attested ciphertext in the coprocessor's bucket; returns its handle. */
    byte[] publishCiphertext(int fheType) throws Exception {
        byte[] hash = new byte[21];
        RANDOM.nextBytes(hash);
        byte[] handle = CiphertextPublisher.handle(hash, 0, HOST_CHAIN_ID, fheType, 0);
        byte[] body = new byte[128];
        RANDOM.nextBytes(body);
        CiphertextPublisher.publish(bucketUrl, handle, body, DevAccounts.COPROCESSOR_SIGNER.getEcKeyPair(), KEY_ID,
                11);
        return handle;
    }

    static synchronized BigInteger userId() {
        return BigInteger.TWO.shiftLeft(248).add(BigInteger.valueOf(nextCounter++));
    }

    static synchronized BigInteger publicId() {
        return BigInteger.ONE.shiftLeft(248).add(BigInteger.valueOf(nextCounter++));
    }

    /** A legacy row (signature NULL) as the gw-listener stores it; {@code handles} null stores NULL. */
    void insertLegacy(BigInteger id, List<byte[]> handles, byte[] user, byte[] publicKey, byte[] extraData)
            throws Exception {
        insertUser(id, handles, user, publicKey, extraData, null, null, null, 0, 0, null);
    }

    void insertUnified(BigInteger id, List<byte[]> handles, byte[] user, byte[] publicKey, byte[] extraData,
            List<byte[]> owners, List<byte[]> contracts, List<byte[]> allowed, long start, long duration,
            byte[] signature) throws Exception {
        insertUser(id, handles, user, publicKey, extraData, owners, contracts, allowed, start, duration, signature);
    }

    private void insertUser(BigInteger id, List<byte[]> handles, byte[] user, byte[] publicKey, byte[] extraData,
            List<byte[]> owners, List<byte[]> contracts, List<byte[]> allowed, long start, long duration,
            byte[] signature) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO user_decryption_requests (decryption_id, ct_handles, user_address, public_key, extra_data,"
                        + " tx_hash, created_at, otlp_context, handle_owner_addresses, handle_contract_addresses,"
                        + " allowed_contracts, start_timestamp, duration_seconds, signature)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, '\\x0000000000000000', ?, ?, ?, ?, ?, ?)")) {
            ps.setBytes(1, Uint256.toLittleEndian(id));
            ps.setArray(2, handles == null ? null : c.createArrayOf("bytea", handles.toArray(new byte[0][])));
            ps.setBytes(3, user);
            ps.setBytes(4, publicKey);
            ps.setBytes(5, extraData);
            ps.setBytes(6, new byte[32]);
            ps.setTimestamp(7, Timestamp.from(Instant.now()));
            ps.setArray(8, owners == null ? null : c.createArrayOf("bytea", owners.toArray(new byte[0][])));
            ps.setArray(9, contracts == null ? null : c.createArrayOf("bytea", contracts.toArray(new byte[0][])));
            ps.setArray(10, allowed == null ? null : c.createArrayOf("bytea", allowed.toArray(new byte[0][])));
            ps.setObject(11, signature == null ? null : start);
            ps.setObject(12, signature == null ? null : duration);
            ps.setBytes(13, signature);
            ps.executeUpdate();
        }
    }

    void insertPublic(BigInteger id, List<byte[]> handles, byte[] extraData) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO public_decryption_requests (decryption_id, ct_handles, extra_data, tx_hash, created_at,"
                        + " otlp_context) VALUES (?, ?, ?, ?, ?, '\\x0000000000000000')")) {
            ps.setBytes(1, Uint256.toLittleEndian(id));
            ps.setArray(2, c.createArrayOf("bytea", handles.toArray(new byte[0][])));
            ps.setBytes(3, extraData);
            ps.setBytes(4, new byte[32]);
            ps.setTimestamp(5, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    /**
     * Claims every pending request of the flow's kind (up to 50) with the worker's claim, and runs each
     * through the process route's steps in their order.
     */
    <J extends OperationJob, R> void runOnce(OperationProcessor<J, R> processor, OperationOutcomes outcomes)
            throws Exception {
        OperationKind kind = processor.flow().kind();
        for (Map<String, Object> row : claim(OperationSql.claim(kind.requests(), OperationSql.requestColumns(kind),
                50, null))) {
            OperationAttempt<J> attempt = processor.check(processor.parse(row));
            if (attempt.isToSend()) {
                processor.send(attempt);
            }
            outcomes.record(processor.poll(attempt));
        }
    }

    /** Runs a claim statement as the sql consumer does and returns the rows as it would hand them over. */
    List<Map<String, Object>> claim(String claimSql) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(claimSql);
                ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** One column of a request or response row, as text (NULL when the row does not exist). */
    String column(String table, BigInteger id, String expr) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + expr + " FROM " + table + " WHERE decryption_id = ?")) {
            ps.setBytes(1, Uint256.toLittleEndian(id));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    byte[] bytes(String table, BigInteger id, String column) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + column + " FROM " + table + " WHERE decryption_id = ?")) {
            ps.setBytes(1, Uint256.toLittleEndian(id));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    long kmsCalls(String rpc, BigInteger id) {
        return kmsCore.callCount(rpc + ":" + Uint256.toRequestId(id));
    }

    @Override
    public void close() throws Exception {
        kmsClient.close();
        kmsCore.close();
        web3j.shutdown();
        chain.close();
        dataSource.close();
        db.close();
    }
}
