package org.outcalls.consensus.outcall;

import org.outcalls.api.AggregateValue;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Reject;
import org.outcalls.crypto.Hash;

/**
 * What a valid item delivers: exactly one of a response, an aggregate value or a reject, and the
 * certificate (the item without its content) that lets anyone check it against the subnet's keys.
 */
public record DecidedOutcall(long callbackId, Hash contextDigest, HttpResponse response, AggregateValue value,
                             Reject reject, byte[] certificate) {
}
