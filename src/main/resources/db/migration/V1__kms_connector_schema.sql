-- The connector's schema, as the original connector's 23 sqlx migrations leave it (v0.15),
-- minus the tables no current code uses (prss_init, key_reshare_same_set, kskgen_requests).
-- uint256 ids are 32-byte little-endian bytea; handles and addresses are raw bytes.

CREATE TYPE operation_status AS ENUM ('pending', 'under_process', 'completed', 'failed', 'aborted');
CREATE TYPE params_type AS ENUM ('Default', 'Test');
CREATE TYPE key_type AS ENUM ('Server', 'Public', 'CompressedKeySet');
CREATE TYPE event_type AS ENUM ('PublicDecryptionRequest', 'UserDecryptionRequest', 'PrepKeygenRequest',
    'KeygenRequest', 'CrsgenRequest', 'PrssInit', 'KeyReshareSameSet');
CREATE TYPE sns_ciphertext_material AS (
    ct_handle BYTEA,
    key_id BYTEA,
    sns_ciphertext_digest BYTEA,
    coprocessor_tx_sender_addresses BYTEA[]
);
CREATE TYPE key_digest AS (key_type key_type, digest BYTEA);

-- Requests, written by gw-listener, claimed by kms-worker

CREATE TABLE public_decryption_requests (
    decryption_id BYTEA NOT NULL PRIMARY KEY,
    sns_ct_materials sns_ciphertext_material[],
    extra_data BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    otlp_context BYTEA NOT NULL,
    already_sent BOOLEAN NOT NULL DEFAULT FALSE,
    error_counter SMALLINT NOT NULL DEFAULT 0,
    status operation_status NOT NULL DEFAULT 'pending',
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    tx_hash BYTEA,
    ct_handles BYTEA[]
);

CREATE TABLE user_decryption_requests (
    decryption_id BYTEA NOT NULL PRIMARY KEY,
    sns_ct_materials sns_ciphertext_material[],
    user_address BYTEA NOT NULL,
    public_key BYTEA NOT NULL,
    extra_data BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    otlp_context BYTEA NOT NULL,
    already_sent BOOLEAN NOT NULL DEFAULT FALSE,
    error_counter SMALLINT NOT NULL DEFAULT 0,
    status operation_status NOT NULL DEFAULT 'pending',
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    tx_hash BYTEA,
    handle_owner_addresses BYTEA[],
    handle_contract_addresses BYTEA[],
    allowed_contracts BYTEA[],
    start_timestamp BIGINT,
    duration_seconds BIGINT,
    signature BYTEA,
    ct_handles BYTEA[]
);

CREATE TABLE prep_keygen_requests (
    prep_keygen_id BYTEA NOT NULL PRIMARY KEY,
    params_type params_type NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    otlp_context BYTEA NOT NULL,
    already_sent BOOLEAN NOT NULL DEFAULT FALSE,
    status operation_status NOT NULL DEFAULT 'pending',
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    tx_hash BYTEA,
    extra_data BYTEA
);

CREATE TABLE keygen_requests (
    prep_keygen_id BYTEA NOT NULL,
    key_id BYTEA NOT NULL PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    otlp_context BYTEA NOT NULL,
    already_sent BOOLEAN NOT NULL DEFAULT FALSE,
    status operation_status NOT NULL DEFAULT 'pending',
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    tx_hash BYTEA,
    extra_data BYTEA
);

CREATE TABLE crsgen_requests (
    crs_id BYTEA NOT NULL PRIMARY KEY,
    max_bit_length BYTEA NOT NULL,
    params_type params_type NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    otlp_context BYTEA NOT NULL,
    already_sent BOOLEAN NOT NULL DEFAULT FALSE,
    status operation_status NOT NULL DEFAULT 'pending',
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    tx_hash BYTEA,
    extra_data BYTEA
);

CREATE TABLE abort_keygen_requests (
    prep_keygen_id BYTEA NOT NULL PRIMARY KEY,
    tx_hash BYTEA,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    otlp_context BYTEA NOT NULL,
    status operation_status NOT NULL DEFAULT 'pending',
    already_sent BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE abort_crsgen_requests (
    crs_id BYTEA NOT NULL PRIMARY KEY,
    tx_hash BYTEA,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    otlp_context BYTEA NOT NULL,
    status operation_status NOT NULL DEFAULT 'pending',
    already_sent BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE new_kms_context (
    context_id BYTEA NOT NULL PRIMARY KEY,
    previous_context_id BYTEA NOT NULL,
    kms_node_params BYTEA NOT NULL,
    thresholds BYTEA NOT NULL,
    software_version TEXT NOT NULL,
    pcr_values BYTEA NOT NULL,
    tx_hash BYTEA,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    otlp_context BYTEA NOT NULL,
    status operation_status NOT NULL DEFAULT 'pending',
    already_sent BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE new_kms_epoch (
    context_id BYTEA NOT NULL,
    previous_context_id BYTEA NOT NULL,
    epoch_id BYTEA NOT NULL PRIMARY KEY,
    previous_epoch_id BYTEA NOT NULL,
    material_block_number BYTEA NOT NULL,
    tx_hash BYTEA,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    otlp_context BYTEA NOT NULL,
    status operation_status NOT NULL DEFAULT 'pending',
    already_sent BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE kms_context_destroyed (
    context_id BYTEA NOT NULL PRIMARY KEY,
    tx_hash BYTEA,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    otlp_context BYTEA NOT NULL,
    status operation_status NOT NULL DEFAULT 'pending',
    already_sent BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE kms_epoch_destroyed (
    epoch_id BYTEA NOT NULL PRIMARY KEY,
    tx_hash BYTEA,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    otlp_context BYTEA NOT NULL,
    status operation_status NOT NULL DEFAULT 'pending',
    already_sent BOOLEAN NOT NULL DEFAULT FALSE
);

-- Responses, written by kms-worker, claimed by tx-sender

CREATE TABLE public_decryption_responses (
    decryption_id BYTEA NOT NULL PRIMARY KEY,
    decrypted_result BYTEA NOT NULL,
    signature BYTEA NOT NULL,
    extra_data BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    otlp_context BYTEA NOT NULL,
    status operation_status NOT NULL DEFAULT 'pending',
    updated_at TIMESTAMP NOT NULL DEFAULT NOW()
);

CREATE TABLE user_decryption_responses (
    decryption_id BYTEA NOT NULL PRIMARY KEY,
    user_decrypted_shares BYTEA NOT NULL,
    signature BYTEA NOT NULL,
    extra_data BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    otlp_context BYTEA NOT NULL,
    status operation_status NOT NULL DEFAULT 'pending',
    updated_at TIMESTAMP NOT NULL DEFAULT NOW()
);

CREATE TABLE prep_keygen_responses (
    prep_keygen_id BYTEA NOT NULL PRIMARY KEY,
    signature BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    otlp_context BYTEA NOT NULL,
    status operation_status NOT NULL DEFAULT 'pending',
    updated_at TIMESTAMP NOT NULL DEFAULT NOW()
);

CREATE TABLE keygen_responses (
    key_id BYTEA NOT NULL PRIMARY KEY,
    key_digests key_digest[] NOT NULL,
    signature BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    otlp_context BYTEA NOT NULL,
    status operation_status NOT NULL DEFAULT 'pending',
    updated_at TIMESTAMP NOT NULL DEFAULT NOW()
);

CREATE TABLE crsgen_responses (
    crs_id BYTEA NOT NULL PRIMARY KEY,
    crs_digest BYTEA NOT NULL,
    signature BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    otlp_context BYTEA NOT NULL,
    status operation_status NOT NULL DEFAULT 'pending',
    updated_at TIMESTAMP NOT NULL DEFAULT NOW()
);

CREATE TABLE new_kms_context_responses (
    context_id BYTEA NOT NULL PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    otlp_context BYTEA NOT NULL,
    status operation_status NOT NULL DEFAULT 'pending'
);

CREATE TABLE epoch_result_responses (
    context_id BYTEA NOT NULL,
    epoch_id BYTEA NOT NULL PRIMARY KEY,
    keys BYTEA NOT NULL,
    crs_list BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    otlp_context BYTEA NOT NULL,
    status operation_status NOT NULL DEFAULT 'pending'
);

-- Poll checkpoints

CREATE TABLE last_block_polled_by_chain (
    chain_name TEXT NOT NULL PRIMARY KEY,
    block_number BIGINT,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
INSERT INTO last_block_polled_by_chain (chain_name, block_number) VALUES ('gateway', NULL), ('ethereum', NULL);

-- Superseded by last_block_polled_by_chain; kept because an upstream database has it.
CREATE TABLE last_block_polled (
    event_type event_type NOT NULL PRIMARY KEY,
    block_number BIGINT,
    updated_at TIMESTAMPTZ NOT NULL
);
INSERT INTO last_block_polled (event_type, block_number, updated_at)
SELECT e, NULL, NOW() FROM unnest(enum_range(NULL::event_type)) AS e;

-- KMS context / epoch validity cache

CREATE TABLE kms_context (
    id BYTEA NOT NULL PRIMARY KEY,
    is_valid BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE kms_epoch (
    id BYTEA NOT NULL PRIMARY KEY,
    context_id BYTEA,
    is_valid BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX idx_public_decryption_requests_status_updated_at ON public_decryption_requests (status, updated_at);
CREATE INDEX idx_user_decryption_requests_status_updated_at ON user_decryption_requests (status, updated_at);
CREATE INDEX idx_public_decryption_responses_status_updated_at ON public_decryption_responses (status, updated_at);
CREATE INDEX idx_user_decryption_responses_status_updated_at ON user_decryption_responses (status, updated_at);

-- One NOTIFY per committed statement (no payload): the listeners re-read the table.

CREATE FUNCTION notify_public_decryption_request_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY public_decryption_request_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_public_decryption_requests_insertions AFTER INSERT ON public_decryption_requests
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_decryption_request_available();

CREATE FUNCTION notify_user_decryption_request_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY user_decryption_request_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_user_decryption_requests_insertions AFTER INSERT ON user_decryption_requests
    FOR EACH STATEMENT EXECUTE FUNCTION notify_user_decryption_request_available();

CREATE FUNCTION notify_prep_keygen_request_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY prep_keygen_request_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_prep_keygen_requests_insertions AFTER INSERT ON prep_keygen_requests
    FOR EACH STATEMENT EXECUTE FUNCTION notify_prep_keygen_request_available();

CREATE FUNCTION notify_keygen_request_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY keygen_request_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_keygen_requests_insertions AFTER INSERT ON keygen_requests
    FOR EACH STATEMENT EXECUTE FUNCTION notify_keygen_request_available();

CREATE FUNCTION notify_crsgen_request_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY crsgen_request_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_crsgen_requests_insertions AFTER INSERT ON crsgen_requests
    FOR EACH STATEMENT EXECUTE FUNCTION notify_crsgen_request_available();

CREATE FUNCTION notify_abort_keygen_request_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY abort_keygen_request_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_abort_keygen_requests_insertions AFTER INSERT ON abort_keygen_requests
    FOR EACH STATEMENT EXECUTE FUNCTION notify_abort_keygen_request_available();

CREATE FUNCTION notify_abort_crsgen_request_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY abort_crsgen_request_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_abort_crsgen_requests_insertions AFTER INSERT ON abort_crsgen_requests
    FOR EACH STATEMENT EXECUTE FUNCTION notify_abort_crsgen_request_available();

CREATE FUNCTION notify_new_kms_context_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY new_kms_context_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_new_kms_context_insertions AFTER INSERT ON new_kms_context
    FOR EACH STATEMENT EXECUTE FUNCTION notify_new_kms_context_available();

CREATE FUNCTION notify_new_kms_epoch_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY new_kms_epoch_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_new_kms_epoch_insertions AFTER INSERT ON new_kms_epoch
    FOR EACH STATEMENT EXECUTE FUNCTION notify_new_kms_epoch_available();

CREATE FUNCTION notify_kms_context_destroyed_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY kms_context_destroyed_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_kms_context_destroyed_insertions AFTER INSERT ON kms_context_destroyed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_kms_context_destroyed_available();

CREATE FUNCTION notify_kms_epoch_destroyed_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY kms_epoch_destroyed_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_kms_epoch_destroyed_insertions AFTER INSERT ON kms_epoch_destroyed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_kms_epoch_destroyed_available();

CREATE FUNCTION notify_public_decryption_response_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY public_decryption_response_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_public_decryption_responses_insertions AFTER INSERT ON public_decryption_responses
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_decryption_response_available();

CREATE FUNCTION notify_user_decryption_response_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY user_decryption_response_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_user_decryption_responses_insertions AFTER INSERT ON user_decryption_responses
    FOR EACH STATEMENT EXECUTE FUNCTION notify_user_decryption_response_available();

CREATE FUNCTION notify_prep_keygen_response_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY prep_keygen_response_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_prep_keygen_responses_insertions AFTER INSERT ON prep_keygen_responses
    FOR EACH STATEMENT EXECUTE FUNCTION notify_prep_keygen_response_available();

CREATE FUNCTION notify_keygen_response_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY keygen_response_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_keygen_responses_insertions AFTER INSERT ON keygen_responses
    FOR EACH STATEMENT EXECUTE FUNCTION notify_keygen_response_available();

CREATE FUNCTION notify_crsgen_response_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY crsgen_response_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_crsgen_responses_insertions AFTER INSERT ON crsgen_responses
    FOR EACH STATEMENT EXECUTE FUNCTION notify_crsgen_response_available();

CREATE FUNCTION notify_new_kms_context_response_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY new_kms_context_response_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_new_kms_context_responses_insertions AFTER INSERT ON new_kms_context_responses
    FOR EACH STATEMENT EXECUTE FUNCTION notify_new_kms_context_response_available();

CREATE FUNCTION notify_epoch_result_response_available() RETURNS TRIGGER AS $$
BEGIN
    NOTIFY epoch_result_response_available;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_from_epoch_result_responses_insertions AFTER INSERT ON epoch_result_responses
    FOR EACH STATEMENT EXECUTE FUNCTION notify_epoch_result_response_available();

-- updated_at follows every change: the recovery job measures claim age with it.

CREATE FUNCTION refresh_updated_at_public_decryption_requests() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_public_decryption_requests_on_update BEFORE UPDATE ON public_decryption_requests
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_public_decryption_requests();

CREATE FUNCTION refresh_updated_at_user_decryption_requests() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_user_decryption_requests_on_update BEFORE UPDATE ON user_decryption_requests
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_user_decryption_requests();

CREATE FUNCTION refresh_updated_at_prep_keygen_requests() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_prep_keygen_requests_on_update BEFORE UPDATE ON prep_keygen_requests
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_prep_keygen_requests();

CREATE FUNCTION refresh_updated_at_keygen_requests() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_keygen_requests_on_update BEFORE UPDATE ON keygen_requests
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_keygen_requests();

CREATE FUNCTION refresh_updated_at_crsgen_requests() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_crsgen_requests_on_update BEFORE UPDATE ON crsgen_requests
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_crsgen_requests();

CREATE FUNCTION refresh_updated_at_abort_keygen_requests() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_abort_keygen_requests_on_update BEFORE UPDATE ON abort_keygen_requests
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_abort_keygen_requests();

CREATE FUNCTION refresh_updated_at_abort_crsgen_requests() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_abort_crsgen_requests_on_update BEFORE UPDATE ON abort_crsgen_requests
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_abort_crsgen_requests();

CREATE FUNCTION refresh_updated_at_new_kms_context() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_new_kms_context_on_update BEFORE UPDATE ON new_kms_context
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_new_kms_context();

CREATE FUNCTION refresh_updated_at_new_kms_epoch() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_new_kms_epoch_on_update BEFORE UPDATE ON new_kms_epoch
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_new_kms_epoch();

CREATE FUNCTION refresh_updated_at_kms_context_destroyed() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_kms_context_destroyed_on_update BEFORE UPDATE ON kms_context_destroyed
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_kms_context_destroyed();

CREATE FUNCTION refresh_updated_at_kms_epoch_destroyed() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_kms_epoch_destroyed_on_update BEFORE UPDATE ON kms_epoch_destroyed
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_kms_epoch_destroyed();

CREATE FUNCTION refresh_updated_at_public_decryption_responses() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_public_decryption_responses_on_update BEFORE UPDATE ON public_decryption_responses
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_public_decryption_responses();

CREATE FUNCTION refresh_updated_at_user_decryption_responses() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_user_decryption_responses_on_update BEFORE UPDATE ON user_decryption_responses
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_user_decryption_responses();

CREATE FUNCTION refresh_updated_at_prep_keygen_responses() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_prep_keygen_responses_on_update BEFORE UPDATE ON prep_keygen_responses
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_prep_keygen_responses();

CREATE FUNCTION refresh_updated_at_keygen_responses() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_keygen_responses_on_update BEFORE UPDATE ON keygen_responses
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_keygen_responses();

CREATE FUNCTION refresh_updated_at_crsgen_responses() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_crsgen_responses_on_update BEFORE UPDATE ON crsgen_responses
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_crsgen_responses();

CREATE FUNCTION refresh_updated_at_new_kms_context_responses() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_new_kms_context_responses_on_update BEFORE UPDATE ON new_kms_context_responses
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_new_kms_context_responses();

CREATE FUNCTION refresh_updated_at_epoch_result_responses() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER refresh_updated_at_epoch_result_responses_on_update BEFORE UPDATE ON epoch_result_responses
    FOR EACH ROW EXECUTE FUNCTION refresh_updated_at_epoch_result_responses();

-- Inserting a response completes its request in the same transaction.

CREATE FUNCTION complete_public_decryption_requests() RETURNS TRIGGER AS $$
BEGIN
    UPDATE public_decryption_requests SET status = 'completed' WHERE decryption_id = NEW.decryption_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER complete_public_decryption_requests_on_response AFTER INSERT ON public_decryption_responses
    FOR EACH ROW EXECUTE FUNCTION complete_public_decryption_requests();

CREATE FUNCTION complete_user_decryption_requests() RETURNS TRIGGER AS $$
BEGIN
    UPDATE user_decryption_requests SET status = 'completed' WHERE decryption_id = NEW.decryption_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER complete_user_decryption_requests_on_response AFTER INSERT ON user_decryption_responses
    FOR EACH ROW EXECUTE FUNCTION complete_user_decryption_requests();

CREATE FUNCTION complete_prep_keygen_requests() RETURNS TRIGGER AS $$
BEGIN
    UPDATE prep_keygen_requests SET status = 'completed' WHERE prep_keygen_id = NEW.prep_keygen_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER complete_prep_keygen_requests_on_response AFTER INSERT ON prep_keygen_responses
    FOR EACH ROW EXECUTE FUNCTION complete_prep_keygen_requests();

CREATE FUNCTION complete_keygen_requests() RETURNS TRIGGER AS $$
BEGIN
    UPDATE keygen_requests SET status = 'completed' WHERE key_id = NEW.key_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER complete_keygen_requests_on_response AFTER INSERT ON keygen_responses
    FOR EACH ROW EXECUTE FUNCTION complete_keygen_requests();

CREATE FUNCTION complete_crsgen_requests() RETURNS TRIGGER AS $$
BEGIN
    UPDATE crsgen_requests SET status = 'completed' WHERE crs_id = NEW.crs_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER complete_crsgen_requests_on_response AFTER INSERT ON crsgen_responses
    FOR EACH ROW EXECUTE FUNCTION complete_crsgen_requests();

CREATE FUNCTION complete_new_kms_context() RETURNS TRIGGER AS $$
BEGIN
    UPDATE new_kms_context SET status = 'completed' WHERE context_id = NEW.context_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER complete_new_kms_context_on_response AFTER INSERT ON new_kms_context_responses
    FOR EACH ROW EXECUTE FUNCTION complete_new_kms_context();

CREATE FUNCTION complete_new_kms_epoch() RETURNS TRIGGER AS $$
BEGIN
    UPDATE new_kms_epoch SET status = 'completed' WHERE epoch_id = NEW.epoch_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER complete_new_kms_epoch_on_response AFTER INSERT ON epoch_result_responses
    FOR EACH ROW EXECUTE FUNCTION complete_new_kms_epoch();
