package org.outcalls.transport.internal.tcp;

/**
 * Each member's inbound connections: at most one that said its hello (the member's connection)
 * and one still waiting to (identified by its pinned node certificate only). A newer one replaces
 * the older of its kind, which the caller closes. The newer wins because a restarted peer, whose
 * old connection may linger half-open, must get in at once; a member that keeps opening
 * connections holds two at most. A connection replaces the member's connection only once it has
 * said a valid hello, so a member that dials this replica by mistake (a registry pinning it at
 * another address) and hangs up after the handshake does not cut off its real connection.
 * Thread-safe.
 */
public final class MemberConnections {
    private final InboundConnection[] current;
    private final InboundConnection[] waiting;
    private final int[] open;
    private final long[] replaced;

    public MemberConnections(int members) {
        this.current = new InboundConnection[members];
        this.waiting = new InboundConnection[members];
        this.open = new int[members];
        this.replaced = new long[members];
    }

    /** A connection of the member, not greeted yet; returns the older such connection it replaces (to close), or null. */
    public synchronized InboundConnection identified(int member, InboundConnection c) {
        open[member]++;
        return take(waiting, member, c);
    }

    /** The connection said a valid hello: it is the member's connection now; returns the one it replaces (to close), or null. */
    public synchronized InboundConnection greeted(int member, InboundConnection c) {
        if (waiting[member] == c) {
            waiting[member] = null;
        }
        return take(current, member, c);
    }

    private InboundConnection take(InboundConnection[] slots, int member, InboundConnection c) {
        InboundConnection older = slots[member];
        slots[member] = c;
        if (older != null) {
            replaced[member]++;
        }
        return older;
    }

    /** A connection that {@link #identified} took has closed. */
    public synchronized void closed(int member, InboundConnection c) {
        open[member]--;
        if (current[member] == c) {
            current[member] = null;
        }
        if (waiting[member] == c) {
            waiting[member] = null;
        }
    }

    /** The member's greeted connection, or null. */
    public synchronized InboundConnection current(int member) {
        return current[member];
    }

    /** The member's connections not closed yet: one, two while a newer one greets, a moment longer while one closes. */
    public synchronized int open(int member) {
        return open[member];
    }

    /** Times a newer connection of the member replaced an older one. */
    public synchronized long replaced(int member) {
        return replaced[member];
    }

    /** Closes the member's connections (its key was removed or replaced). */
    public void closeMember(int member) {
        InboundConnection a;
        InboundConnection b;
        synchronized (this) {
            a = current[member];
            b = waiting[member];
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    /** Closes every connection this replica holds. */
    public void closeAll() {
        InboundConnection[] all;
        synchronized (this) {
            all = new InboundConnection[current.length * 2];
            System.arraycopy(current, 0, all, 0, current.length);
            System.arraycopy(waiting, 0, all, current.length, waiting.length);
        }
        for (InboundConnection c : all) {
            if (c != null) {
                c.close();
            }
        }
    }
}
