-- Addition of this implementation: why an operation was last retried or failed, so an operator
-- (and the status page) can tell without reading logs. Nullable: rows of the original stay valid.
ALTER TABLE public_decryption_requests ADD COLUMN last_error TEXT;
ALTER TABLE user_decryption_requests ADD COLUMN last_error TEXT;
ALTER TABLE prep_keygen_requests ADD COLUMN last_error TEXT;
ALTER TABLE keygen_requests ADD COLUMN last_error TEXT;
ALTER TABLE crsgen_requests ADD COLUMN last_error TEXT;
ALTER TABLE abort_keygen_requests ADD COLUMN last_error TEXT;
ALTER TABLE abort_crsgen_requests ADD COLUMN last_error TEXT;
ALTER TABLE new_kms_context ADD COLUMN last_error TEXT;
ALTER TABLE new_kms_epoch ADD COLUMN last_error TEXT;
ALTER TABLE kms_context_destroyed ADD COLUMN last_error TEXT;
ALTER TABLE kms_epoch_destroyed ADD COLUMN last_error TEXT;
ALTER TABLE public_decryption_responses ADD COLUMN last_error TEXT;
ALTER TABLE user_decryption_responses ADD COLUMN last_error TEXT;
ALTER TABLE prep_keygen_responses ADD COLUMN last_error TEXT;
ALTER TABLE keygen_responses ADD COLUMN last_error TEXT;
ALTER TABLE crsgen_responses ADD COLUMN last_error TEXT;
ALTER TABLE new_kms_context_responses ADD COLUMN last_error TEXT;
ALTER TABLE epoch_result_responses ADD COLUMN last_error TEXT;
