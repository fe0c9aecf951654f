package org.outcalls.replica.internal.outcall;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.methods.MethodSupport;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.transform.Transform;
import org.outcalls.consensus.outcall.ContentHash;
import org.outcalls.consensus.outcall.OutcallCodec;
import org.outcalls.consensus.outcall.OutcallPayloadSection;
import org.outcalls.consensus.outcall.ShareMetadata;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.RequestContext;
import org.outcalls.replica.local.PluginSource;
import org.outcalls.transport.ProtocolThread;
import org.outcalls.transport.TcpTransport;
import org.outcalls.transport.Transports;

/**
 * A Byzantine member asks an honest replica's outcall manager, over the real TCP transport with
 * mutual TLS, for contents again and again: what it is sent stays within its serving budget.
 */
class ContentFloodTest {
    private static final Hash SUBNET = Hash.sha256("content-flood".getBytes(StandardCharsets.UTF_8));
    private static final String POLICY = "flooder-only";
    private static final String POLICY_VERSION = "1.0.0";
    private static final int CONTENT = 1 << 20;
    /** The replay window and budget the replica keeps ({@link ContentServing}). */
    private static final long REPLAY_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(400);
    private static final long BURST_BYTES = 16L << 20;
    private static final long BYTES_PER_SECOND = 8L << 20;

    private final Vertx vertx = Vertx.vertx();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Only replica 1 fetches; nothing is ever decided (the test is about serving contents). */
    private static final class FlooderOnly implements AgreementPolicy {
        @Override
        public int[] committee(CommitteeInput input) {
            return new int[] {1};
        }

        @Override
        public boolean carriesShareContents() {
            return false;
        }

        @Override
        public Decision decide(DecisionInput input) {
            return new Decision.Pending();
        }
    }

    private static final class Plugins implements PluginSource {
        private final AgreementPolicy policy = new FlooderOnly();

        @Override
        public Optional<Transform> transform(String name, String version) {
            return Optional.empty();
        }

        @Override
        public Optional<AgreementPolicy> policy(String name, String version) {
            return name.equals(POLICY) && version.equals(POLICY_VERSION) ? Optional.of(policy) : Optional.empty();
        }

        @Override
        public Optional<MethodSupport> methods() {
            return Optional.empty();
        }
    }

    @Test
    void replayedAndRepeatedContentRequestsGetRepliesWithinTheServingBudget() throws Exception {
        List<NodeKey> keys = List.of(NodeKey.generate(), NodeKey.generate());
        List<PublicKey> members = keys.stream().map(NodeKey::publicKey).toList();
        List<TcpTransport.Peer> peers = List.of(new TcpTransport.Peer(0, members.get(0), "127.0.0.1", freePort()),
                new TcpTransport.Peer(1, members.get(1), "127.0.0.1", freePort()));
        ProtocolThread thread = thread(0);
        TcpTransport replica = transport(keys, peers, 0, thread);
        TransformRunner transforms = new TransformRunner(TransformRunner.Budget.DEFAULT, 1);
        closeables.add(transforms::close);
        OutcallManager manager = new OutcallManager(0, SUBNET, members, keys.get(0),
                replica.channel(OutcallPayloadSection.NAME), thread, request -> {
                    throw new AssertionError("replica 0 is not in the committee: it never fetches");
                }, transforms, new Plugins(), Runnable::run, new BatchVerifier(16), () -> { }, null);
        manager.start();
        closeables.add(manager::stop);
        int contexts = 12;
        List<RequestContext> open = new ArrayList<>();
        for (long cb = 1; cb <= contexts; cb++) {
            open.add(new RequestContext(cb, "canister", OutcallRequest.builder("https://example.com/" + cb).build(), 1_000,
                    cb, new byte[32], POLICY, "1.0.0", "", 1, 0, 0, "message-" + cb, "caller"));
        }
        thread.execute(() -> manager.resume(open));

        // The flooder holds member 1's real key. It shares a 1 MiB content for every context (as its
        // committee seat lets it), so the replica holds contents it could be made to send again and again.
        ProtocolThread flooderThread = thread(1);
        TcpTransport flood = transport(keys, peers, 1, flooderThread);
        AtomicBoolean flooding = new AtomicBoolean();
        AtomicLong repliesForFirst = new AtomicLong();
        AtomicLong replyBytes = new AtomicLong();
        flood.channel(OutcallPayloadSection.NAME).receiver((from, frame) -> {
            try {
                OutcallFrames.Frame f = OutcallFrames.decode(frame);
                if (flooding.get() && f.type() == OutcallFrames.CONTENT) {
                    replyBytes.addAndGet(frame.length);
                    if (f.callbackId() == 1) {
                        repliesForFirst.incrementAndGet();
                    }
                }
            } catch (DecodeException e) {
                throw new AssertionError(e);
            }
        });
        List<Hash> hashes = new ArrayList<>();
        List<SignerQueue.Signed> signed = new CopyOnWriteArrayList<>();
        SignerQueue signer = new SignerQueue(keys.get(1), 1, Runnable::run, flooderThread, signed::addAll);
        for (int i = 0; i < contexts; i++) {
            byte[] body = new byte[CONTENT - 64]; // a well-formed outcall content, as admission requires
            Arrays.fill(body, (byte) i);
            byte[] content = OutcallCodec.encode(org.outcalls.api.HttpResponse.of(200, List.of(), body));
            RequestContext rc = open.get(i);
            Hash hash = ContentHash.of("", content);
            hashes.add(hash);
            signer.submit(new SignerQueue.Pending(new ShareMetadata(SUBNET, rc.callbackId(), ContextInfos.of(SUBNET, rc).digest(),
                    hash, content.length, false, "", POLICY + "@1.0.0", 1), content), i < contexts - 1);
        }
        assertTrue(await(() -> signed.size() == contexts));
        for (SignerQueue.Signed s : signed) { // inline, however large: a faulty member does not follow the 4 KiB rule
            OutcallFrames.shares(List.of(new OutcallFrames.Carried(s.share(), s.content())))
                    .forEach(frame -> flood.channel(OutcallPayloadSection.NAME).send(0, frame));
        }
        assertTrue(await(() -> held(manager, thread) == contexts), "the replica holds every content");

        int replays = 300;
        long start = System.nanoTime();
        flooding.set(true);
        for (int i = 0; i < replays; i++) {
            flood.channel(OutcallPayloadSection.NAME).send(0, OutcallFrames.contentRequest(1, hashes.get(0)));
            int other = 1 + i % (contexts - 1);
            flood.channel(OutcallPayloadSection.NAME).send(0, OutcallFrames.contentRequest(other + 1, hashes.get(other)));
        }
        assertTrue(await(() -> replica.peerStatus().get(1).framesReceived() >= contexts + 2L * replays), "flood arrived");
        // the first reply (1 MiB over TLS, behind the flood) may take a while on a busy machine
        assertTrue(await(() -> repliesForFirst.get() >= 1), "the first request is answered");
        Thread.sleep(1000); // replies in flight arrive
        double seconds = (System.nanoTime() - start) / 1e9;

        long maxReplays = 1 + (long) Math.ceil(seconds * 1e9 / REPLAY_WINDOW_NANOS);
        assertTrue(repliesForFirst.get() <= maxReplays, "one content, asked " + replays + " times in "
                + String.format("%.1f", seconds) + " s, was sent " + repliesForFirst + " times; at most " + maxReplays);
        long maxBytes = (long) (BURST_BYTES + BYTES_PER_SECOND * seconds) + 2L * replays * 64;
        assertTrue(replyBytes.get() <= maxBytes, replyBytes + " content bytes sent to the flooder in "
                + String.format("%.1f", seconds) + " s; at most " + maxBytes);
        assertTrue(manager.contentRequestsRefused() >= replays - maxReplays, "the replica counted what it did not "
                + "answer: " + manager.contentRequestsRefused());
    }

    /** Contexts for which the replica holds the flooder's share, read on its protocol thread. */
    private static int held(OutcallManager manager, ProtocolThread thread) {
        CompletableFuture<Integer> n = new CompletableFuture<>();
        thread.execute(() -> {
            int count = 0;
            for (long cb = 1; cb <= 12; cb++) {
                count += manager.shareCounts(cb).isEmpty() ? 0 : 1;
            }
            n.complete(count);
        });
        return n.join();
    }

    private ProtocolThread thread(int i) {
        ProtocolThread t = new ProtocolThread("outcalls-replica-" + i);
        closeables.add(t);
        return t;
    }

    private TcpTransport transport(List<NodeKey> keys, List<TcpTransport.Peer> peers, int i, ProtocolThread thread)
            throws Exception {
        TcpTransport t = Transports.tcp(vertx, keys.get(i), i, peers, "127.0.0.1", peers.get(i).port(), SUBNET.bytes(),
                thread, TcpTransport.Settings.DEFAULT);
        closeables.add(t);
        return t;
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
