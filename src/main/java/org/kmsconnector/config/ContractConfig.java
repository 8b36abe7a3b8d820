package org.kmsconnector.config;

/** A contract table: its address and the EIP-712 domain the KMS signs under. */
public record ContractConfig(String address, String domainName, String domainVersion) {}
