package org.outcalls.gateway.internal;

import java.util.Locale;

/**
 * Who may use the routes that take unsigned calls ({@code POST /api/v1/outcalls} and
 * {@code POST /api/v1/canisters/{id}/update/{method}}), which the gateway signs on the caller's
 * behalf. Signed ingress ({@code POST /api/v1/ingress}) is open in every mode: its signer pays.
 */
enum UnsignedCalls {
    /** A request with an API key is signed as that key's identity; one from a loopback address without a key, as the gateway's own (development) identity; others get 401. */
    LOOPBACK,
    /** Only requests with an API key, from anywhere, loopback too. */
    API_KEY,
    /** None: callers sign their own ingress messages. */
    OFF;

    /** The setting's name for it: {@code loopback}, {@code api-key} or {@code off}. */
    String settingName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static UnsignedCalls parse(String value) {
        for (UnsignedCalls u : values()) {
            if (u.settingName().equals(value == null ? "" : value.strip().toLowerCase(Locale.ROOT))) {
                return u;
            }
        }
        throw new IllegalArgumentException("unsignedCalls: '" + value + "' is not one of loopback, api-key, off");
    }
}
