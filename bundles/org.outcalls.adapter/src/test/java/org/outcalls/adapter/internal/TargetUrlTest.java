package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;

class TargetUrlTest {

    private static TargetUrl ok(String url) {
        TargetUrl.Result r = TargetUrl.parse(url);
        assertNull(r.reject(), () -> url + ": " + r.reject());
        return r.url();
    }

    private static String rejected(String url) {
        TargetUrl.Result r = TargetUrl.parse(url);
        assertNull(r.url(), url);
        assertEquals(RejectCode.SYS_FATAL, r.reject().code());
        assertEquals(RejectKind.INVALID_URL, r.reject().kind());
        return r.reject().message();
    }

    @Test
    void splitsHostPortAndTarget() {
        TargetUrl u = ok("HTTPS://Example.COM:8443/a/b?c=d#frag");
        assertEquals("example.com", u.host());
        assertEquals(8443, u.port());
        assertEquals("/a/b?c=d", u.requestTarget());
        assertEquals("example.com:8443", u.authority());
        assertFalse(u.ipLiteral());
        assertEquals("/", ok("https://example.com").requestTarget());
        assertEquals("/?q", ok("https://example.com?q").requestTarget());
        assertEquals(443, ok("https://example.com/").port());
        assertEquals("example.com", ok("https://example.com./").host());
    }

    @Test
    void nonAsciiIsPercentEncodedAsUtf8AndIdnHostsBecomePunycode() {
        TargetUrl u = ok("https://bücher.example/straße?q=ü ok".replace(" ", "%20"));
        assertEquals("xn--bcher-kva.example", u.host());
        assertEquals("/stra%C3%9Fe?q=%C3%BC%20ok", u.requestTarget());
        assertEquals("/a%7Cb%22", ok("https://e.example/a|b\"").requestTarget());
        assertEquals("/100%25", ok("https://e.example/100%").requestTarget());
    }

    @Test
    void ipLiterals() {
        TargetUrl v4 = ok("https://127.0.0.1:9/");
        assertTrue(v4.ipLiteral());
        TargetUrl v6 = ok("https://[::1]:9/x");
        assertEquals("::1", v6.host());
        assertEquals("[::1]:9", v6.authority());
    }

    @Test
    void rejectsWhatCannotBeFetched() {
        assertTrue(rejected("http://example.com/").contains("'http' is not allowed"));
        assertTrue(rejected("ftp://example.com/").contains("only https"));
        assertTrue(rejected("example.com/path").contains("no scheme"));
        assertTrue(rejected("https:example.com").contains("no host"));
        assertTrue(rejected("https:///path").contains("empty host"));
        assertTrue(rejected("https://user:pw@example.com/").contains("user information"));
        assertTrue(rejected("https://example.com:0/").contains("out of range"));
        assertTrue(rejected("https://example.com:65536/").contains("out of range"));
        assertTrue(rejected("https://example.com:http/").contains("not a number"));
        assertTrue(rejected("https://[::1/").contains("never closes"));
        assertTrue(rejected("https://[zz::1]/").contains("not an IPv6 address"));
        assertTrue(rejected("https://exa$mple.com/").contains("not a valid host name"));
    }
}
