package org.outcalls.api.verify;

/**
 * A result document, subnet document or certificate that cannot be read: names the field (a JSON
 * path such as {@code request.headers[2].value}, or {@code certificate}) and what is wrong with it.
 */
public final class DocumentException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String field;

    public DocumentException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The field that is missing or malformed. */
    public String field() {
        return field;
    }
}
