package org.outcalls.consensus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.transport.Channel;

/**
 * The test payload section "ingress": commands to a counter ({@code id, expiry height, delta}),
 * gossiped to every replica on the "ingress" channel. A command is valid in a block at height h
 * if {@code h <= expiry < h + EXPIRY_WINDOW}, appears once in the block, and not in the
 * ancestors' payloads (ancestryDepth >= EXPIRY_WINDOW makes that check complete), so it can be
 * executed at most once — deterministically, from the chain alone.
 */
public final class CounterSection implements PayloadSection {
    public static final String NAME = "ingress";
    static final long EXPIRY_WINDOW = 40;
    static final int MAX_ITEMS = 64;
    static final int ITEM_BYTES = 24;

    public record Command(long id, long expiry, long delta) {
    }

    private final Channel gossip;
    private final TreeMap<Long, Command> pending = new TreeMap<>();
    private final Set<Long> executed = new HashSet<>();
    private Runnable onWork = () -> { };

    public CounterSection(Channel gossip) {
        this.gossip = gossip;
        gossip.receiver((from, frame) -> {
            try {
                for (Command c : decode(frame)) {
                    add(c);
                }
            } catch (DecodeException e) {
                // a faulty peer's garbage: ignore
            }
        });
    }

    public void onWork(Runnable r) {
        this.onWork = r;
    }

    /** A client submits a command to this replica: it is pooled here and gossiped to the others. */
    public void submit(Command c) {
        add(c);
        gossip.broadcast(encode(List.of(c)));
    }

    private void add(Command c) {
        if (!executed.contains(c.id()) && pending.putIfAbsent(c.id(), c) == null) {
            onWork.run();
        }
    }

    /** The state machine executed these: no longer pending. */
    void executed(List<Command> commands) {
        for (Command c : commands) {
            executed.add(c.id());
            pending.remove(c.id());
        }
    }

    void expire(long height) {
        pending.values().removeIf(c -> c.expiry() < height);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean hasWork() {
        return !pending.isEmpty();
    }

    @Override
    public byte[] build(PayloadContext context) {
        Set<Long> inChain = idsIn(context.ancestorPayloads());
        List<Command> take = new ArrayList<>();
        long h = context.height();
        for (Command c : pending.values()) {
            if (take.size() >= MAX_ITEMS || (long) (take.size() + 1) * ITEM_BYTES + 4 > context.maxBytes()) {
                break;
            }
            if (!inChain.contains(c.id()) && h <= c.expiry() && c.expiry() < h + EXPIRY_WINDOW) {
                take.add(c);
            }
        }
        return take.isEmpty() ? new byte[0] : encode(take);
    }

    @Override
    public void validate(PayloadContext context, byte[] payload) throws InvalidPayloadException {
        if (payload.length == 0) {
            return;
        }
        List<Command> commands;
        try {
            commands = decode(payload);
        } catch (DecodeException e) {
            throw new InvalidPayloadException("malformed: " + e.getMessage());
        }
        if (commands.isEmpty()) {
            throw new InvalidPayloadException("an empty list must be left out");
        }
        long h = context.height();
        Set<Long> inChain = idsIn(context.ancestorPayloads());
        long previous = Long.MIN_VALUE;
        for (Command c : commands) {
            if (c.id() <= previous) {
                throw new InvalidPayloadException("ids must be strictly increasing");
            }
            previous = c.id();
            if (!(h <= c.expiry() && c.expiry() < h + EXPIRY_WINDOW)) {
                throw new InvalidPayloadException("command " + c.id() + " expires at " + c.expiry() + ", not valid at " + h);
            }
            if (inChain.contains(c.id())) {
                throw new InvalidPayloadException("command " + c.id() + " is already in the chain");
            }
        }
    }

    private static Set<Long> idsIn(List<byte[]> payloads) {
        Set<Long> ids = new HashSet<>();
        for (byte[] p : payloads) {
            if (p.length == 0) {
                continue;
            }
            try {
                for (Command c : decode(p)) {
                    ids.add(c.id());
                }
            } catch (DecodeException e) {
                throw new IllegalStateException("an ancestor's payload was validated but does not decode", e);
            }
        }
        return ids;
    }

    public static byte[] encode(List<Command> commands) {
        List<Command> sorted = new ArrayList<>(commands);
        sorted.sort((a, b) -> Long.compare(a.id(), b.id()));
        return new CanonicalWriter(4 + ITEM_BYTES * sorted.size())
                .list(sorted, (w, c) -> w.i64(c.id()).i64(c.expiry()).i64(c.delta())).toByteArray();
    }

    static List<Command> decode(byte[] payload) throws DecodeException {
        CanonicalReader r = new CanonicalReader(payload);
        List<Command> out = r.list(MAX_ITEMS, "commands", x -> new Command(x.i64(), x.i64(), x.i64()));
        r.expectEnd();
        return out;
    }

    int pendingCount() {
        return pending.size();
    }

    Map<Long, Command> pending() {
        return pending;
    }
}
