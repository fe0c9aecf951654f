package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.Membership;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.IngressStatus;
import org.outcalls.replica.ManagementCanister;
import org.outcalls.replica.Member;
import org.outcalls.replica.MembersArgument;
import org.outcalls.replica.MembershipSchedule;
import org.outcalls.replica.Replica;
import org.outcalls.replica.local.ConsensusTiming;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * A simulated subnet of five replicas in one JVM changes its members while outcalls run: a change a
 * member signs with its node key is refused; the admin removes member 4 (5 -> 4: f stays 1, the
 * threshold drops from 4 to 3 at one height on every replica), then replaces member 3's key by one
 * nobody runs while replica 3 keeps running with its old key: from the switch its shares and votes
 * count for nothing, it follows without signing, and the three others carry on. Every outcall gets
 * one result, the same on every replica, and state hashes agree throughout.
 */
class MembershipChangeSimTest {
    @Test
    void removeThenReplaceUnderLoadSwitchesAtOneHeightOnEveryReplica() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start().route("/p", r -> ScriptedOrigin.Reply.json("{\"p\":1}"));
             TestSubnet subnet = BundledPlugins.all(TestSubnet.builder().origin(origin).replicas(5)).start()) {
            String request = "{\"url\":\"" + origin.url("/p") + "\"}";
            List<String> ids = new ArrayList<>();
            ids.add(subnet.submit(request));
            List<Member> five = subnet.subnet().replicas().get(0).registry().members();

            // a key that is no admin key (a Byzantine replica signs with its own)
            IngressStatus forged = execute(subnet, members(five.subList(0, 4)), 1, NodeKey.generate());
            assertEquals(IngressStatus.State.FAILED, forged.state());
            assertTrue(forged.message().contains("is not an admin of this subnet"), forged.message());

            IngressStatus removed = execute(subnet, members(five.subList(0, 4)), 1, subnet.subnet().adminKey());
            assertEquals(IngressStatus.State.COMPLETED, removed.state(), removed.message());
            long switchAt = removed.height() + Membership.ACTIVATION_DELAY;
            for (int k = 0; k < 5; k++) {
                ids.add(subnet.submit(request));
            }
            subnet.awaitHeight(switchAt + 3, Duration.ofSeconds(120));
            for (Replica r : subnet.subnet().replicas()) {
                MembershipSchedule s = r.membershipSchedule();
                assertEquals(5, s.membersAt(switchAt - 1).size());
                assertEquals(4, s.membersAt(switchAt).size(), "n switches at " + switchAt);
                assertEquals(4, r.registry().subnetSize());
                assertEquals(3, r.registry().subnetSize() - r.registry().faultTolerance());
                assertEquals(switchAt, r.appliedMembership().orElseThrow().height());
            }

            // member 3 gets a key nobody runs; replica 3 keeps running with the old one
            List<Member> next = new ArrayList<>(five.subList(0, 4));
            next.set(3, Member.of(3, NodeKey.generate().publicKey(), null));
            IngressStatus replaced = execute(subnet, next, 2, subnet.subnet().adminKey());
            assertEquals(IngressStatus.State.COMPLETED, replaced.state(), replaced.message());
            long secondSwitch = replaced.height() + Membership.ACTIVATION_DELAY;
            subnet.awaitHeight(secondSwitch + 3, Duration.ofSeconds(120));
            for (int k = 0; k < 5; k++) {
                ids.add(subnet.submit(request)); // opened at registry version 3: answered by 0, 1, 2 alone
            }
            Set<String> seen = new HashSet<>();
            for (String id : ids) {
                assertTrue(seen.add(id));
                JsonNode r = subnet.await(id, Duration.ofSeconds(120));
                assertEquals("completed", r.path("status").asText(), r.toString());
            }
            assertTrue(subnet.stateHashesAgree(), "every replica, the replaced one too, executed the same");
            long top = subnet.subnet().replicas().get(0).height();
            for (Replica r : subnet.subnet().replicas()) {
                assertEquals(3, r.appliedMembership().orElseThrow().registryVersion());
                assertTrue(r.height() >= secondSwitch, "replica follows past the switch");
            }
            assertTrue(top > secondSwitch);
        }
    }

    /**
     * The block that applies a change opens requests at the new registry version: the new members
     * answer them. A replica that looked up the committee before taking in that block's change
     * would fetch with the old members: the removed member 4 fetched and signed, and a
     * single-replica request whose one fetcher differs between n = 5 and n = 4 was fetched by
     * nobody that counts, so it waited for the consensus timeout.
     */
    @Test
    void requestsOpenedInTheSwitchBlockAreAnsweredByTheNewMembers() throws Exception {
        // Which block a request lands in is up to timing: on a loaded machine the switch block may
        // carry none of the stream (seen once in a CI run: 197 requests, none at the switch). The
        // scenario then runs again on a new subnet, so the test never passes without the case it is for.
        List<String> attempts = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            String outcome = switchUnderLoad();
            if (outcome == null) {
                return;
            }
            attempts.add(outcome);
        }
        throw new AssertionError("in no attempt was a two-thirds request opened in the switch block: " + attempts);
    }

    /**
     * One subnet, one change across a stream of requests, every assertion on them; null if a
     * two-thirds request was opened in the switch block, else what happened instead.
     */
    private static String switchUnderLoad() throws Exception {
        ConsensusTiming quick = new ConsensusTiming(Duration.ofMillis(60), Duration.ofMillis(300), Duration.ofSeconds(2), 64);
        try (ScriptedOrigin origin = ScriptedOrigin.start().route("/p", r -> ScriptedOrigin.Reply.json("{\"p\":1}"));
             TestSubnet subnet = BundledPlugins.all(TestSubnet.builder().origin(origin).replicas(5).timing(quick)
                     .consensusTimeout(Duration.ofSeconds(30))).start()) {
            List<Member> five = subnet.subnet().replicas().get(0).registry().members();
            IngressStatus removed = execute(subnet, members(five.subList(0, 4)), 1, subnet.subnet().adminKey());
            assertEquals(IngressStatus.State.COMPLETED, removed.state(), removed.message());
            long switchAt = removed.height() + Membership.ACTIVATION_DELAY;
            subnet.awaitHeight(switchAt - 3, Duration.ofSeconds(120));

            // streams of requests across the switch from four threads (a block there holds several),
            // each request with its own query so the origin tells them apart; every fourth single-replica
            Replica first = subnet.subnet().replicas().get(0);
            Map<Integer, String> ids = new ConcurrentSkipListMap<>();
            AtomicInteger next = new AtomicInteger();
            ExecutorService submitters = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> streams = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    streams.add(submitters.submit(() -> {
                        while (first.height() < switchAt + 2) {
                            int k = next.getAndIncrement();
                            String policy = k % 4 == 3 ? ",\"policy\":\"single-replica\"" : "";
                            ids.put(k, subnet.submit("{\"url\":\"" + origin.url("/p") + "?k=" + k + "\"" + policy + "}"));
                        }
                        return null;
                    }));
                }
                for (Future<?> stream : streams) {
                    stream.get(120, TimeUnit.SECONDS);
                }
            } finally {
                submitters.shutdownNow();
            }
            int atSwitch = 0;
            for (Map.Entry<Integer, String> e : ids.entrySet()) {
                int k = e.getKey();
                JsonNode r = subnet.await(e.getValue(), Duration.ofSeconds(60));
                long openedAt = first.ingressStatus(e.getValue()).orElseThrow().height();
                if (openedAt < switchAt) {
                    continue;
                }
                atSwitch += openedAt == switchAt && k % 4 != 3 ? 1 : 0; // two-thirds: every member fetches those
                assertEquals("completed", r.path("status").asText(), "request " + k + " opened at " + openedAt
                        + " (switch at " + switchAt + "): " + r);
                String query = "k=" + k;
                List<Integer> fetchedBy = origin.requests("/p").stream().filter(q -> query.equals(q.query()))
                        .map(ScriptedOrigin.Request::replica).toList();
                assertFalse(fetchedBy.contains(4), "the removed member fetched request " + k + " opened at "
                        + openedAt + " (switch at " + switchAt + "): " + fetchedBy);
            }
            assertTrue(subnet.stateHashesAgree());
            return atSwitch > 0 ? null : "switch block " + switchAt + ", " + ids.size() + " requests, none of them two-thirds there";
        }
    }


    private static List<Member> members(List<Member> m) {
        return List.copyOf(m);
    }

    /** Signs change_members with {@code key}, waits for its block; its status there. */
    private static IngressStatus execute(TestSubnet subnet, List<Member> next, long expectedVersion, NodeKey key)
            throws InterruptedException {
        String id;
        try {
            id = subnet.subnet().submitSigned(ManagementCanister.ID, ManagementCanister.CHANGE_MEMBERS,
                    new MembersArgument(expectedVersion, next).encode(), key).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw new AssertionError("submitting change_members failed", e);
        }
        Replica r = subnet.subnet().replicas().get(0);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var s = r.ingressStatus(id);
            if (s.isPresent()) {
                return s.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("change_members " + id + " was not executed");
    }
}
