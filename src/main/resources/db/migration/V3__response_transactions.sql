-- Addition of this implementation: the transaction(s) a response was sent in.
-- The tx-sender writes the nonce and the hash BEFORE it hands a signed transaction to the node,
-- so after a crash, a receipt timeout or a lost connection the next pick of the row can look
-- them up: mined and successful means completed without sending again; still in the node's pool
-- means wait for it (or replace it under the same nonce); unknown to the node means send anew.
-- tx_hashes lists every transaction sent under tx_nonce (a replacement keeps the nonce), at most
-- one of which can be mined. Nullable: rows of the original stay valid.
ALTER TABLE public_decryption_responses ADD COLUMN tx_nonce BIGINT, ADD COLUMN tx_hashes BYTEA[];
ALTER TABLE user_decryption_responses ADD COLUMN tx_nonce BIGINT, ADD COLUMN tx_hashes BYTEA[];
ALTER TABLE prep_keygen_responses ADD COLUMN tx_nonce BIGINT, ADD COLUMN tx_hashes BYTEA[];
ALTER TABLE keygen_responses ADD COLUMN tx_nonce BIGINT, ADD COLUMN tx_hashes BYTEA[];
ALTER TABLE crsgen_responses ADD COLUMN tx_nonce BIGINT, ADD COLUMN tx_hashes BYTEA[];
ALTER TABLE new_kms_context_responses ADD COLUMN tx_nonce BIGINT, ADD COLUMN tx_hashes BYTEA[];
ALTER TABLE epoch_result_responses ADD COLUMN tx_nonce BIGINT, ADD COLUMN tx_hashes BYTEA[];

-- The completion triggers complete a request only while it is still in flight, like every other
-- status write: a late response never turns a failed (expired) or aborted request into a
-- completed one. The functions are replaced under whichever name exists: this schema's own, or
-- the original connector's on a database it created (baselined at version 1).
DO $$
DECLARE
    fn RECORD;
BEGIN
    FOR fn IN SELECT * FROM (VALUES
        ('complete_public_decryption_requests', 'public_decryption_requests', 'decryption_id'),
        ('complete_public_decryption_request', 'public_decryption_requests', 'decryption_id'),
        ('complete_user_decryption_requests', 'user_decryption_requests', 'decryption_id'),
        ('complete_user_decryption_request', 'user_decryption_requests', 'decryption_id'),
        ('complete_prep_keygen_requests', 'prep_keygen_requests', 'prep_keygen_id'),
        ('complete_prep_keygen_now', 'prep_keygen_requests', 'prep_keygen_id'),
        ('complete_keygen_requests', 'keygen_requests', 'key_id'),
        ('complete_keygen_now', 'keygen_requests', 'key_id'),
        ('complete_crsgen_requests', 'crsgen_requests', 'crs_id'),
        ('complete_crsgen_now', 'crsgen_requests', 'crs_id'),
        ('complete_new_kms_context', 'new_kms_context', 'context_id'),
        ('complete_new_kms_epoch', 'new_kms_epoch', 'epoch_id')
    ) AS f(name, request_table, pk)
    LOOP
        IF EXISTS (SELECT 1 FROM pg_proc WHERE proname = fn.name) THEN
            EXECUTE format(
                'CREATE OR REPLACE FUNCTION %I() RETURNS TRIGGER AS $body$ '
                || 'BEGIN UPDATE %I SET status = ''completed'' WHERE %I = NEW.%I '
                || 'AND status IN (''pending'', ''under_process''); RETURN NULL; END; '
                || '$body$ LANGUAGE plpgsql', fn.name, fn.request_table, fn.pk, fn.pk);
        END IF;
    END LOOP;
END;
$$;
