package org.outcalls.canister.proxy;

/** A request body that is not a well-formed outcall request; {@link #field()} names the culprit. */
public final class RequestJsonException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String field;

    public RequestJsonException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The JSON field at fault, for example {@code headers[2].name}; {@code body} for the document itself. */
    public String field() {
        return field;
    }
}
