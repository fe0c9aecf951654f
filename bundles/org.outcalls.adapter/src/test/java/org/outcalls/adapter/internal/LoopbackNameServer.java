package org.outcalls.adapter.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A UDP name server on loopback that answers NXDOMAIN for names starting with {@code absent-},
 * 127.0.0.1 for names starting with {@code loopback-} (as a name anyone can point at a victim's
 * loopback would), and never answers anything else: a tarpit, as a hostile or broken name server
 * behaves. It records every name it was asked for.
 */
final class LoopbackNameServer implements AutoCloseable {
    static final String ABSENT_PREFIX = "absent-";
    static final String LOOPBACK_PREFIX = "loopback-";

    private final DatagramSocket socket;
    private final Thread reader;
    private final Set<String> asked = ConcurrentHashMap.newKeySet();

    LoopbackNameServer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        reader = new Thread(this::serve, "loopback-name-server");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code 127.0.0.1:port}, as the adapter's {@code dnsServers} takes it. */
    String address() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    /** Names queried so far, lower case, without the trailing dot. */
    Set<String> asked() {
        return asked;
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
                String name = questionName(query);
                asked.add(name);
                byte[] answer = name.startsWith(ABSENT_PREFIX) ? nxdomain(query)
                        : name.startsWith(LOOPBACK_PREFIX) ? loopback(query) : null;
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                // closed, or a packet that is not a query: keep serving until closed
            }
        }
    }

    /** The first question's name: labels after the 12-byte header. */
    private static String questionName(byte[] query) {
        StringBuilder name = new StringBuilder();
        int i = 12;
        while (query[i] != 0) {
            int length = query[i] & 0xff;
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(query, i + 1, length, StandardCharsets.US_ASCII));
            i += length + 1;
        }
        return name.toString().toLowerCase(java.util.Locale.ROOT);
    }

    /** The query's id and question, flagged as a response with RCODE 3 (name error) and nothing else. */
    private static byte[] nxdomain(byte[] query) {
        int end = 12;
        while (query[end] != 0) {
            end += (query[end] & 0xff) + 1;
        }
        end += 5; // the root label, QTYPE and QCLASS
        byte[] answer = Arrays.copyOf(query, end);
        answer[2] = (byte) 0x81; // QR, RD
        answer[3] = (byte) 0x83; // RA, RCODE 3
        answer[4] = 0;
        answer[5] = 1; // one question
        Arrays.fill(answer, 6, 12, (byte) 0); // no answer, authority or additional records
        return answer;
    }

    /** For an A question, one answer: 127.0.0.1; for any other type, none (the name exists). */
    private static byte[] loopback(byte[] query) {
        int end = 12;
        while (query[end] != 0) {
            end += (query[end] & 0xff) + 1;
        }
        int type = (query[end + 1] & 0xff) << 8 | query[end + 2] & 0xff;
        end += 5;
        byte[] record = type == 1
                ? new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1} // name at 12, A, IN, TTL 60
                : new byte[0];
        byte[] answer = Arrays.copyOf(query, end + record.length);
        System.arraycopy(record, 0, answer, end, record.length);
        answer[2] = (byte) 0x81; // QR, RD
        answer[3] = (byte) 0x80; // RA, no error
        answer[4] = 0;
        answer[5] = 1; // one question
        Arrays.fill(answer, 6, 12, (byte) 0);
        answer[7] = (byte) (type == 1 ? 1 : 0); // answers
        return answer;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        reader.join(5_000);
    }
}
