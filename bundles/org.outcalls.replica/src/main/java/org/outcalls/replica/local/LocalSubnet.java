package org.outcalls.replica.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;
import org.outcalls.consensus.FaultMode;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.Genesis;
import org.outcalls.replica.Replica;
import org.outcalls.replica.SubnetNode;
import org.outcalls.replica.byzantine.Adversary;
import org.outcalls.replica.byzantine.FaultScripts;
import org.outcalls.transport.LiveNetwork;
import org.outcalls.transport.NetworkConditions;

/**
 * n replicas in this JVM over the live in-JVM network, each with its own key, pool, state and
 * consensus; plus the {@link SubnetNode} view the gateway uses. The subnet starts from a new
 * genesis each time (its id changes), so callback ids and idempotency keys never repeat across runs.
 * {@link LocalSubnets} starts one.
 */
@ProviderType
public interface LocalSubnet extends SubnetNode, AutoCloseable {
    /** Development fault injection: how the faulty replicas misbehave. */
    enum Fault {
        NONE(FaultMode.NONE, null),
        CRASH(FaultMode.CRASH, FaultScripts.silentOutcalls()),
        SILENT(FaultMode.SILENT, FaultScripts.silentOutcalls()),
        EQUIVOCATE(FaultMode.EQUIVOCATE, null),
        FORGE(FaultMode.FORGE, FaultScripts.forgeOutcalls()),
        /** Consensus stays honest; the outcall shares lie. */
        FORGE_OUTCALLS(FaultMode.NONE, FaultScripts.forgeOutcalls()),
        /** As block maker, answers open requests with its own one-share item of another policy. */
        FORGE_POLICY(FaultMode.NONE, FaultScripts.forgePolicy()),
        /** Signs extreme decimals and maximal contents in every request. */
        EXTREME_VALUE(FaultMode.NONE, FaultScripts.extremeValue()),
        /** Floods its peers: maximal frames, unknown channels, replayed content requests. */
        FLOOD(FaultMode.NONE, FaultScripts.flood()),
        /** Starts honest, with an {@link Adversary} a test scripts ({@link LocalSubnet#adversary}). */
        SCRIPTED(FaultMode.NONE, a -> { });

        private final FaultMode consensus;
        private final Consumer<Adversary> script;

        Fault(FaultMode consensus, Consumer<Adversary> script) {
            this.consensus = consensus;
            this.script = script;
        }

        /** How the faulty replicas' consensus misbehaves. */
        public FaultMode consensus() {
            return consensus;
        }

        /** What a faulty replica's {@link Adversary} runs at the start; null: it has no adversary at all. */
        public Consumer<Adversary> script() {
            return script;
        }

        /** The modes {@code outcalls run --fault} accepts, as typed there. */
        public static final String CHOICES = "crash, silent, equivocate, forge, forge-policy, extreme-value, flood";

        public static Fault parse(String mode) {
            try {
                Fault f = valueOf(mode.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
                if (f == NONE || f == FORGE_OUTCALLS || f == SCRIPTED) {
                    throw new IllegalArgumentException(mode);
                }
                return f;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fault: '" + mode + "' is not one of " + CHOICES);
            }
        }
    }

    /** What a local subnet is made of. */
    record Settings(int replicas, int faulty, Fault fault, ConsensusTiming timing, long consensusTimeoutMillis,
                    Map<String, String> enabledPlugins, Map<String, Long> canisters, Path keyDir,
                    NetworkConditions network, long networkSeed) {
        public Settings {
            if (replicas < 1 || replicas > 100) {
                throw new IllegalArgumentException("replicas: " + replicas + " is not within 1..100");
            }
            if (faulty < 0 || faulty >= replicas) {
                throw new IllegalArgumentException("faulty: " + faulty + " is not within 0.." + (replicas - 1));
            }
            if (faulty > 0 && fault == Fault.NONE) {
                throw new IllegalArgumentException("faulty: " + faulty + " replicas need a fault mode");
            }
            enabledPlugins = Map.copyOf(enabledPlugins);
            canisters = Map.copyOf(canisters);
        }

        public int faultTolerance() {
            return (replicas - 1) / 3;
        }
    }

    Genesis genesis();

    /** Each replica's state machine, in replica order. */
    List<Replica> replicas();

    /** The hash of the block replica {@code i} finalized at {@code height}, or null if it has not (or forgot it). */
    org.outcalls.crypto.Hash finalizedHash(int i, long height);

    /** Each replica's finalized height, in replica order. */
    List<Long> finalizedHeights();

    /** The plugins ({@code name@version}) that replica {@code i}'s registry enables and that it lacks, sorted. */
    java.util.SortedSet<String> missingPlugins(int i);

    /**
     * Development and tests only: replica {@code i} behaves as if the named plugins (transforms,
     * policies or {@code methods}) were not installed, from now on; an empty collection shows it
     * everything again. In one JVM all replicas share the installed plugins, so this is how a local
     * subnet shows what a replica that lacks a plugin does: it reports it, does not fetch or validate
     * what needs it, and never decides differently. Logged at WARN.
     */
    void hidePlugins(int i, java.util.Collection<String> names);

    /** The plugin names {@link #hidePlugins} hides from replica {@code i}, sorted. */
    List<String> hiddenPlugins(int i);

    /**
     * The adversary that decides what replica {@code i} sends, if it runs with a scripted fault
     * ({@link Fault#SCRIPTED} or a fault mode that acts through one). Tests only.
     */
    Optional<Adversary> adversary(int i);

    /** How many replicas (the last ones) run with an injected fault. */
    int faultyCount();

    NodeKey adminKey();

    /** The principal {@link #submit} signs as: the gateway's own key, the development identity of loopback calls. */
    String developmentPrincipal();

    LiveNetwork network();

    /** Submits an update signed by the given key (the admin key for registry changes). */
    CompletionStage<String> submitSigned(String canisterId, String method, byte[] argument, NodeKey key);

    /**
     * Relays a message signed elsewhere (by {@code outcalls admin}, for instance): decoded, checked
     * (signature, expiry, size) and admitted by the front replica, then gossiped like any other.
     */
    @Override
    CompletionStage<String> submitSigned(byte[] message);

    /** Stops every replica, the network and the worker threads. */
    @Override
    void close();
}
