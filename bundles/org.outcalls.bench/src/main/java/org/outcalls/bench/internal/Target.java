package org.outcalls.bench.internal;

/** What the load is driven against: the direct fetch, or a subnet making consented outcalls. */
interface Target extends AutoCloseable {
    /** For tables: "direct fetch", "in-JVM", "TCP+TLS". */
    String transport();

    /** Replicas (1 for the direct fetch). */
    int replicas();

    /** Blocks executed so far (by the first replica); 0 for the direct fetch. */
    long height();

    /** Starts one outcall of {@code url} tagged {@code tag}; false if the target refused it now (try again later). */
    boolean submit(long tag, String url);

    @Override
    void close();
}
