package org.kmsconnector.worker.job;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.db.ClaimedRow;

/** A claimed public_decryption_requests row, parsed. */
public record PublicDecryptionJob(byte[] key, BigInteger id, List<Handle> handles, byte[] extraData,
        boolean alreadySent, int errorCounter, byte[] otlpContext, Instant createdAt) implements DecryptionJob {

    public static PublicDecryptionJob fromRow(ClaimedRow row) {
        return new PublicDecryptionJob(row.key(), row.id(), handles(row), row.bytes("extra_data"),
                row.flag("already_sent"), row.errorCounter(), row.otlpContext(), row.createdAt());
    }

    /** ct_handles as handles; NULL is no handle (the request then fails its checks, alone). */
    static List<Handle> handles(ClaimedRow row) {
        return row.byteaList("ct_handles").stream().map(Handle::new).toList();
    }
}
