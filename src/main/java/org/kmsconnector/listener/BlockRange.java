package org.kmsconnector.listener;

/** An inclusive block range [from, to] polled in one eth_getLogs, and whether the head is further on. */
public record BlockRange(long from, long to, boolean behindHead) {}
