package org.outcalls.adapter.internal;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.outcalls.api.Reject;

/**
 * An outcall URL taken apart for sending: https only, host in ASCII (IDN), port, and the request
 * target (path and query) with every byte outside RFC 3986 percent-encoded as UTF-8, so the
 * non-ASCII URLs RFC 3987 allows are sent the way browsers send them. The fragment is not sent.
 *
 * @param host          host as sent in SNI and {@code Host}: lower-case ASCII name, or an IP literal
 *                      without brackets
 * @param ipLiteral     whether {@code host} is an IP address (no DNS lookup, no SNI)
 * @param port          the port, 443 unless given
 * @param requestTarget origin-form request target, starting with {@code /}
 */
record TargetUrl(String host, boolean ipLiteral, int port, String requestTarget) {

    /** Parses a URL, or explains (SYS_FATAL, invalid_url) why it cannot be fetched. */
    static Result parse(String url) {
        int colon = url.indexOf(':');
        if (colon <= 0 || !isScheme(url.substring(0, colon))) {
            return fail("url '" + abbreviate(url) + "' has no scheme; only https URLs are allowed");
        }
        String scheme = url.substring(0, colon);
        if (!scheme.equalsIgnoreCase("https")) {
            return fail("url scheme '" + abbreviate(scheme) + "' is not allowed; only https is");
        }
        if (!url.startsWith("//", colon + 1)) {
            return fail("url '" + abbreviate(url) + "' has no host: expected https://host/...");
        }
        int authorityStart = colon + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = url.substring(authorityStart, authorityEnd);
        if (authority.indexOf('@') >= 0) {
            return fail("url has user information before the host; credentials in URLs are not supported (send an Authorization header)");
        }
        String hostPart;
        String portPart = null;
        boolean ipv6 = false;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return fail("url host '" + abbreviate(authority) + "' opens an IPv6 literal with '[' but never closes it");
            }
            hostPart = authority.substring(1, close);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return fail("url has unexpected characters after the IPv6 host: '" + abbreviate(rest) + "'");
                }
                portPart = rest.substring(1);
            }
            ipv6 = true;
        } else {
            int portColon = authority.lastIndexOf(':');
            hostPart = portColon < 0 ? authority : authority.substring(0, portColon);
            portPart = portColon < 0 ? null : authority.substring(portColon + 1);
        }
        int port = 443;
        if (portPart != null && !portPart.isEmpty()) {
            if (portPart.length() > 5 || !portPart.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return fail("url port '" + abbreviate(portPart) + "' is not a number from 1 to 65535");
            }
            port = Integer.parseInt(portPart);
            if (port < 1 || port > 65535) {
                return fail("url port " + port + " is out of range; ports are 1 to 65535");
            }
        }
        if (hostPart.isEmpty()) {
            return fail("url '" + abbreviate(url) + "' has an empty host");
        }
        String host;
        boolean literal;
        if (ipv6) {
            if (!hostPart.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return fail("url host '[" + abbreviate(hostPart) + "]' is not an IPv6 address");
            }
            host = hostPart.toLowerCase(Locale.ROOT);
            literal = true;
        } else {
            String ascii;
            try {
                ascii = IDN.toASCII(percentDecode(hostPart), IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                return fail("url host '" + abbreviate(hostPart) + "' is not a valid host name: " + e.getMessage());
            }
            if (ascii.endsWith(".")) {
                ascii = ascii.substring(0, ascii.length() - 1);
            }
            if (ascii.isEmpty() || !ascii.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) {
                return fail("url host '" + abbreviate(hostPart) + "' is not a valid host name");
            }
            host = ascii.toLowerCase(Locale.ROOT);
            literal = isIpv4Literal(host);
        }
        int fragment = url.indexOf('#', authorityEnd);
        String target = url.substring(authorityEnd, fragment < 0 ? url.length() : fragment);
        if (target.isEmpty() || target.charAt(0) == '?') {
            target = "/" + target;
        }
        return new Result(new TargetUrl(host, literal, port, encodeTarget(target)), null);
    }

    /** What the {@code Host} header carries: the host, and the port unless it is 443. */
    String authority() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == 443 ? h : h + ":" + port;
    }

    /** The result of {@link #parse}: exactly one of url and reject. */
    record Result(TargetUrl url, Reject reject) {
    }

    private static Result fail(String message) {
        return new Result(null, Rejects.invalidUrl(message));
    }

    private static boolean isScheme(String s) {
        if (s.isEmpty() || !Character.isLetter(s.charAt(0)) || s.charAt(0) > 'z') {
            return false;
        }
        return s.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.'));
    }

    static boolean isIpv4Literal(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Keeps what RFC 3986 allows in a path or query as it is; percent-encodes everything else as UTF-8. */
    static String encodeTarget(String target) {
        StringBuilder out = new StringBuilder(target.length() + 16);
        byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
                out.append('%');
            } else if (b < 0x80 && allowedInTarget((char) b)) {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static boolean allowedInTarget(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0;
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && isHex(in[i + 1]) && isHex(in[i + 2])) {
                out[n++] = (byte) (Character.digit(in[i + 1], 16) << 4 | Character.digit(in[i + 2], 16));
                i += 2;
            } else {
                out[n++] = in[i];
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }
}
