package org.outcalls.replica.byzantine;

import org.osgi.annotation.versioning.ConsumerType;
import org.outcalls.consensus.PayloadContext;

/** What a faulty replica proposes in one payload section of the blocks it makes. */
@ConsumerType
@FunctionalInterface
public interface PayloadForger {
    /**
     * @param section the section's name ({@code ingress}, {@code outcalls})
     * @param honest  what the honest code built (may be empty)
     * @return the bytes to propose instead (empty for none)
     */
    byte[] forge(String section, PayloadContext context, byte[] honest);
}
